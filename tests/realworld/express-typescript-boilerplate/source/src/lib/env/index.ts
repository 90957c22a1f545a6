export * from './utils';
