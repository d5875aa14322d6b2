#!/usr/bin/env node
// The command line runs the TypeScript core as it is (no build step), through tsx's loader.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
