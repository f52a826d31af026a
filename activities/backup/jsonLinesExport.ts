/**
 * The lossless export of a table as DynamoDB JSON lines
 * (docs/decisions/0008-backups-before-writes.md), written to a local file or an S3 object, and a
 * paged reader for the import step.
 *
 * S3 uploads go through a local temporary file and one PutObject (@aws-sdk/lib-storage is
 * not a dependency, so no multipart upload): fine for the old user-storage table, whose
 * export is far below PutObject's 5 GB limit. A crash restarts the export from the first
 * page; the destination is only ever written complete (rename / single PutObject).
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { ResourceNotFoundException, ScanCommand, type AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ApplicationFailure } from '@temporalio/common';
import { FAILURE_TYPES } from '../failureTypes';
import type { AwsClients } from '../aws/clients';
import { fromExportLine, toExportLine, ExportLineError } from '../../src/backup';
import type { Item } from '../../src/dynamo/attributeValue';
import { abortSignal, heartbeat } from './activityContext';

export type ExportLocation = { bucket: string; key: string } | { file: string };

export interface ExportTableInput {
  tableName: string;
  destination: ExportLocation;
  /** Scan page size. Default: DynamoDB's 1 MB pages. */
  pageSize?: number;
}

export interface ExportResult {
  tableName: string;
  destination: ExportLocation;
  items: number;
  bytes: number;
  /** Hex SHA-256 of the exported bytes; also stored as S3 object metadata `sha256`. */
  sha256: string;
}

export interface ReadExportPageInput {
  source: ExportLocation;
  /** Line (= item) offset, 0-based. */
  offset: number;
  limit: number;
}

export interface ExportPage {
  /** Export lines as written (DynamoDB JSON); parse each with fromExportLine. */
  lines: string[];
  offset: number;
  /** Offset of the next page, or null after the last line. */
  nextOffset: number | null;
}

export const describeLocation = (location: ExportLocation): string =>
  'file' in location ? location.file : `s3://${location.bucket}/${location.key}`;

const EXPORT_CONTENT_TYPE = 'application/x-ndjson';

async function scanToFile(clients: AwsClients, input: ExportTableInput, file: string): Promise<Omit<ExportResult, 'destination' | 'tableName'>> {
  const out = createWriteStream(file, { flags: 'w' });
  const hash = createHash('sha256');
  let items = 0;
  let bytes = 0;
  try {
    let start: Record<string, SdkAttributeValue> | undefined;
    do {
      const page = await clients.dynamo.send(
        new ScanCommand({
          TableName: input.tableName,
          // Consistent reads: the export must not miss a write acknowledged before it started.
          ConsistentRead: true,
          ...(input.pageSize ? { Limit: input.pageSize } : {}),
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
        { abortSignal: abortSignal() },
      );
      for (const item of (page.Items ?? []) as Item[]) {
        const chunk = Buffer.from(`${toExportLine(item)}\n`, 'utf8');
        hash.update(chunk);
        bytes += chunk.length;
        items += 1;
        if (!out.write(chunk)) await once(out, 'drain');
      }
      heartbeat({ items });
      start = page.LastEvaluatedKey;
    } while (start);
    out.end();
    await once(out, 'finish');
  } catch (err) {
    out.destroy();
    if (err instanceof ResourceNotFoundException || (err as { name?: string }).name === 'ResourceNotFoundException') {
      throw ApplicationFailure.nonRetryable(`table ${input.tableName} does not exist: nothing to export`, FAILURE_TYPES.tableMissing);
    }
    throw err;
  }
  return { items, bytes, sha256: hash.digest('hex') };
}

export async function exportTableToJsonLines(clients: AwsClients, input: ExportTableInput): Promise<ExportResult> {
  const { destination } = input;
  if ('file' in destination) {
    const partial = `${destination.file}.partial-${process.pid}`;
    try {
      const result = await scanToFile(clients, input, partial);
      await rename(partial, destination.file);
      return { tableName: input.tableName, destination, ...result };
    } finally {
      await rm(partial, { force: true });
    }
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'amplify-migrate-export-'));
  try {
    const file = path.join(dir, 'export.jsonl');
    const result = await scanToFile(clients, input, file);
    await clients.s3.send(
      new PutObjectCommand({
        Bucket: destination.bucket,
        Key: destination.key,
        Body: createReadStream(file),
        ContentLength: (await stat(file)).size,
        ContentType: EXPORT_CONTENT_TYPE,
        Metadata: { sha256: result.sha256, items: String(result.items), 'source-table': input.tableName },
      }),
      { abortSignal: abortSignal() },
    );
    return { tableName: input.tableName, destination, ...result };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A missing export does not appear by retrying: fail for good, naming it. */
function rethrowMissing(err: unknown, location: ExportLocation): never {
  const e = err as { code?: string; name?: string };
  if (e?.code === 'ENOENT' || e?.name === 'NoSuchKey' || e?.name === 'NoSuchBucket') {
    throw ApplicationFailure.nonRetryable(`export ${describeLocation(location)} not found`, FAILURE_TYPES.exportMissing);
  }
  throw err;
}

async function openLocation(clients: AwsClients, location: ExportLocation): Promise<Readable> {
  if ('file' in location) return createReadStream(location.file);
  try {
    const { Body } = await clients.s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }), { abortSignal: abortSignal() });
    if (!Body) throw new Error(`empty response reading ${describeLocation(location)}`);
    return Body as Readable;
  } catch (err) {
    return rethrowMissing(err, location);
  }
}

/**
 * Calls `onLine(line, index)` for each line from `offset` on until it returns false.
 * Reading from the start on every page is O(n) per page: acceptable for this table's size,
 * and it keeps the cursor a plain line number that survives any restart.
 */
async function eachLine(clients: AwsClients, location: ExportLocation, onLine: (line: string, index: number) => boolean): Promise<void> {
  const stream = await openLocation(clients, location);
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let index = 0;
  try {
    for await (const line of lines) {
      if (!onLine(line, index++)) break;
    }
  } catch (err) {
    rethrowMissing(err, location);
  } finally {
    lines.close();
    stream.destroy();
  }
}

/** One page of an export, as lines: a Temporal activity result stays small and JSON-safe (binary stays base64). */
export async function readExportPage(clients: AwsClients, input: ReadExportPageInput): Promise<ExportPage> {
  if (!Number.isInteger(input.offset) || input.offset < 0) throw new RangeError(`offset must be a non-negative integer, got ${input.offset}`);
  if (!Number.isInteger(input.limit) || input.limit < 1) throw new RangeError(`limit must be a positive integer, got ${input.limit}`);
  const lines: string[] = [];
  let more = false;
  await eachLine(clients, input.source, (line, index) => {
    if (index < input.offset) return true;
    if (lines.length === input.limit) {
      more = true;
      return false;
    }
    lines.push(line);
    return true;
  });
  return { lines, offset: input.offset, nextOffset: more ? input.offset + lines.length : null };
}

/** readExportPage, parsed: for use inside an activity that writes the items (never as an activity result). */
export async function readExportItems(clients: AwsClients, input: ReadExportPageInput): Promise<{ items: Item[]; nextOffset: number | null }> {
  const page = await readExportPage(clients, input);
  const items = page.lines.map((line, i) => {
    try {
      return fromExportLine(line);
    } catch (err) {
      if (err instanceof ExportLineError) {
        throw new ExportLineError(`${describeLocation(input.source)} line ${input.offset + i + 1}: ${err.message}`);
      }
      throw err;
    }
  });
  return { items, nextOffset: page.nextOffset };
}

/** Counts and hashes an export, so an import can check it is the file that was written. */
export async function describeExport(clients: AwsClients, source: ExportLocation): Promise<{ items: number; bytes: number; sha256: string }> {
  const stream = await openLocation(clients, source);
  const hash = createHash('sha256');
  let bytes = 0;
  let items = 0;
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      hash.update(buf);
      bytes += buf.length;
      for (const byte of buf) if (byte === 0x0a) items += 1;
    }
  } catch (err) {
    rethrowMissing(err, source);
  } finally {
    stream.destroy();
  }
  return { items, bytes, sha256: hash.digest('hex') };
}
