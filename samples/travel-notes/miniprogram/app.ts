import { createStore, type Store } from './utils/store';
import { notes } from './utils/notes';

// Shared before App() runs, as many projects do.
global.launchedWith = 'travel-notes';

export interface TravelApp {
  globalData: { store: Store; cdn: string };
}

App<TravelApp>({
  globalData: {
    store: createStore(notes),
    cdn: '',
  },
  onLaunch(options) {
    const cdn = options && options.query && options.query.cdn;
    if (cdn) this.globalData.cdn = decodeURIComponent(cdn);
  },
});
