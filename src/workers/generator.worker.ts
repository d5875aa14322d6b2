/** Hosts a transformers.js answer model off the UI thread: the host and its protocol are the core's. */
import * as Comlink from 'comlink';
import { TransformersHost } from '../core';

Comlink.expose(new TransformersHost());
