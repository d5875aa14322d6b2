/** Hosts llama.cpp (wllama) off the UI thread: the host and its protocol are the core's. */
import * as Comlink from 'comlink';
import { wllamaAssets } from 'virtual:folio-wllama';
import { WllamaHost } from '../core';

Comlink.expose(new WllamaHost(wllamaAssets));
