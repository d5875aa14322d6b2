/**
 * Hosts the core Library off the UI thread: parsing, tokenising, embedding and search all run
 * here. The worker holds no logic of its own; it exposes a core LibraryHost over Comlink (the
 * protocol is defined once, in core/host.ts).
 */
import * as Comlink from 'comlink';
import { LibraryHost } from '../core';

Comlink.expose(new LibraryHost());
