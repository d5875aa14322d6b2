// Imported into the generated service worker (vite.config.ts, workbox.importScripts): takes what
// the system's share sheet posts to /share-target (manifest share_target), keeps the files and
// text in a cache of their own until the page takes them, and opens the app on /?shared=1.
// Nothing leaves the device: the post never reaches a server.
self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'POST' || url.origin !== self.location.origin || url.pathname !== '/share-target') return;
  event.respondWith(
    (async () => {
      const form = await event.request.formData();
      const cache = await caches.open('folio-shared');
      let n = 0;
      for (const file of form.getAll('files')) {
        if (typeof file === 'string' || !file.name) continue;
        await cache.put(
          `/shared/${n++}/${encodeURIComponent(file.name)}`,
          new Response(file, { headers: { 'content-type': file.type || 'application/octet-stream', 'x-last-modified': String(file.lastModified) } }),
        );
      }
      const text = ['title', 'text', 'url']
        .map((k) => form.get(k))
        .filter((v) => typeof v === 'string' && v.trim())
        .join('\n');
      if (text) await cache.put('/shared/text', new Response(text));
      return Response.redirect('/?shared=1', 303);
    })(),
  );
});
