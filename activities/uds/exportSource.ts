/**
 * Reading the lossless export of the old basic-ops user-storage table
 * (docs/decisions/0008-backups-before-writes.md): DynamoDB JSON lines in a local file or an S3
 * object: the bare item our exporter writes (`{"PK": {"S": …}, …}`) or AWS's native export form
 * (`{"Item": {…}}`), see src/backup.
 */
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { AwsClients } from '../aws/clients';
import { isNotFound } from '../s3/objects';
import { fromExportLine } from '../../src/backup/exportLines';
import type { Item } from '../../src/dynamo/attributeValue';

export type ExportSource = { bucket: string; key: string } | { file: string };

/** `s3://bucket/key` or a local file path. */
export function parseExportLocation(location: string): ExportSource {
  const s3 = /^s3:\/\/([^/]+)\/(.+)$/.exec(location);
  return s3 ? { bucket: s3[1], key: s3[2] } : { file: location };
}

/** One export line as an item; throws (with the parser's message) on a malformed line. */
export function parseExportLine(line: string): Item {
  return fromExportLine(line);
}

/** The export named by the run is not there: a retry cannot bring it back. */
export class ExportMissingError extends Error {
  override name = 'ExportMissingError';
}

async function open(clients: AwsClients, source: ExportSource, abortSignal?: AbortSignal): Promise<Readable> {
  if ('file' in source) {
    try {
      await access(source.file);
    } catch {
      throw new ExportMissingError(`export file ${source.file} not found`);
    }
    return createReadStream(source.file);
  }
  try {
    const { Body } = await clients.s3.send(new GetObjectCommand({ Bucket: source.bucket, Key: source.key }), { abortSignal });
    if (!Body) throw new Error(`empty response reading s3://${source.bucket}/${source.key}`);
    return Body as Readable;
  } catch (err) {
    if (isNotFound(err)) throw new ExportMissingError(`export s3://${source.bucket}/${source.key} not found`);
    throw err;
  }
}

export interface ExportLine {
  /** 0-based line number in the file. */
  index: number;
  text: string;
}

/**
 * The export's non-empty lines from line `from` on, in batches of `batchSize`. One pass
 * over the stream: a resumed import re-reads the skipped lines but parses none of them.
 */
export async function* exportBatches(
  clients: AwsClients,
  source: ExportSource,
  from: number,
  batchSize: number,
  abortSignal?: AbortSignal,
): AsyncGenerator<{ lines: ExportLine[]; nextIndex: number }> {
  const stream = await open(clients, source, abortSignal);
  const reader = createInterface({ input: stream, crlfDelay: Infinity });
  let index = 0;
  let batch: ExportLine[] = [];
  try {
    for await (const text of reader) {
      const current = index++;
      if (current < from || text.trim() === '') continue;
      batch.push({ index: current, text });
      if (batch.length >= batchSize) {
        yield { lines: batch, nextIndex: index };
        batch = [];
      }
    }
    if (batch.length > 0) yield { lines: batch, nextIndex: index };
  } finally {
    reader.close();
    stream.destroy();
  }
}
