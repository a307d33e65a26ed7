export * from './db';
export * from './updates';
export * from './durable';
export * from './settings';
export * from './write-batch';
export * from './review-writes';
