#!/usr/bin/env node
// Writes .env.example from the settings table (src/config/settings.ts), via the build in dist/.
import { writeFileSync } from 'node:fs';
import { renderEnvExample } from '../dist/config/env-example.js';

writeFileSync('.env.example', renderEnvExample());
console.log('wrote .env.example');
