// Kept for existing importers (tests, bench): the configuration lives in src/config/.
export * from './config/index.js';
