/** S3 key layouts: legacy bucket → consolidation bucket, and the DynamoDB pointers into them. */
export * from './idSegments';
export * from './keys';
export * from './pointers';
export * from './sources';
