/** USER_DATA_STORAGE: keys, item conversions, Step 1/Step 2 rewrites, LZW, export lines (pure). */
export * from './sanitize';
export * from './item';
export * from './lzw';
export { type JsonNode, type LoadedContent, parseJson, fromPlain, toJsonNode, toAttributeValue, pythonJsonDumps, canonicalNumber } from './json';
export { fixPythonDictStrings } from './pythonLiteral';
export { type ConversionResult, type ContentLookup } from './conversionSupport';
export * from './artifacts';
export * from './workflowTemplates';
export * from './taskLogs';
export * from './shares';
export * from './rewrite';
