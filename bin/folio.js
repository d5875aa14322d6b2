#!/usr/bin/env node
// The command line runs the TypeScript core as it is (no build step), through tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
