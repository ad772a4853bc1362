// shop: a small store with two tabs (Shop, Cart), a product page, a
// checkout and an order confirmation. The catalogue comes from a server on
// loopback (`globalData.apiBase`); when it cannot be reached the app falls
// back to the catalogue bundled in data/catalog.js and says so.
//
// Everything shown is fixed data: no randomness, no dates, so every frame is
// the same on every run.

const DEFAULT_API_BASE = 'http://127.0.0.1:8765';

App({
  globalData: {
    apiBase: DEFAULT_API_BASE,
    statusBarHeight: 20,
  },

  onLaunch(options) {
    // Tests start a server on a free port and open the app with
    // `?port=NNNN`; the launch query is the entry page's query.
    const port = options && options.query ? options.query.port : undefined;
    if (port) this.useApiPort(port);
  },

  /** Points `apiBase` at 127.0.0.1:`port` (digits only, else ignored). */
  useApiPort(port) {
    const text = String(port);
    if (/^[0-9]{1,5}$/.test(text)) {
      this.globalData.apiBase = 'http://127.0.0.1:' + text;
    }
  },
});
