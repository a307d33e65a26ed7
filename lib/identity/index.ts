export * from './keys';
export { toBase64Url, fromBase64Url } from './base64url';
export * from './sealing';
export * from './backup';
