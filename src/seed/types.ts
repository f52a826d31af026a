/** The plain description of a sample deployment: what the seeder writes, and what tests compare with. */
import type { BucketKey, DeploymentRef, TableKey } from '../deployment/catalogue';
import type { Item } from '../dynamo/attributeValue';
import type { IdPair } from '../idmap/types';

export type Scenario = 'A' | 'B';

export interface SampleOptions {
  users: number;
  itemsPerUser: number;
  objectsPerUser: number;
  /** Size of the bodies of the bulk legacy objects (conversations, shares, agent state, ...). */
  objectBytes: number;
  seed: number;
  /** A: new id = an immutable username (a sub-shaped uuid). B: new id = old id. */
  scenario: Scenario;
  /** Users with data but NOT in the CSV; default max(1, ceil(users / 10)). */
  outsiders?: number;
  /**
   * The deployment whose physical bucket names appear inside pointer attributes
   * (`s3_reference`, `s3Location`, agent-state `memory.bucket`). Default v6 / dev, the
   * legacy config.py defaults. The seeder refuses a description made for another deployment.
   */
  deployment?: DeploymentRef;
}

export type SeedUser = IdPair;

export interface SeedItem {
  table: TableKey;
  item: Item;
  /** The old id of the user whose data this is; absent for deployment-wide items. */
  owner?: string;
}

export interface SeedObject {
  bucket: BucketKey;
  key: string;
  body: string | Uint8Array;
  contentType: string;
  metadata?: Record<string, string>;
  owner?: string;
}

export interface CognitoSeedUser {
  username: string;
  email: string;
  sub: string;
}

export interface SampleDeployment {
  options: Required<Omit<SampleOptions, 'deployment'>>;
  deployment: DeploymentRef;
  /** The migrated population, in CSV order. */
  users: SeedUser[];
  /** Old ids of users who own data but are not in the CSV: their data must stay byte-identical. */
  outsiders: string[];
  /** Items of every catalogue table except OLD_USER_STORAGE_TABLE. */
  items: SeedItem[];
  objects: SeedObject[];
  /** Items of the old basic-ops user-storage table (OLD_USER_STORAGE_TABLE). */
  oldUserStorageItems: SeedItem[];
  /** The user pool after the move to immutable usernames (A) or with email usernames (B). */
  cognitoUsers: CognitoSeedUser[];
}
