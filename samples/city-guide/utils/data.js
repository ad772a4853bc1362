// The fixed data of the city guide (no network, no clock, no randomness).

/** Category colours, shared by the map pins and the list icons. */
export const CATEGORY_COLORS = {
  'Café': '#e8833a',
  Museum: '#7a5af5',
  Park: '#2f9e5b',
  Market: '#d6455d',
  View: '#2f6fed',
  Bakery: '#c28a2c',
};

function place(id, name, category, area, distance, rating) {
  return {
    id,
    name,
    category,
    area,
    distance,
    distanceText: distance < 1000 ? distance + ' m' : (distance / 1000).toFixed(1) + ' km',
    rating: rating.toFixed(1),
    color: CATEGORY_COLORS[category],
    initial: name.charAt(0),
  };
}

/** Twenty places, nearest first. */
export const places = [
  place(0, 'Harbor Lights Café', 'Café', 'Old Town', 120, 4.7),
  place(1, 'Riverside Park', 'Park', 'North Bank', 240, 4.8),
  place(2, 'Maritime Museum', 'Museum', 'Harbor', 310, 4.6),
  place(3, 'Fish Market Hall', 'Market', 'Harbor', 380, 4.4),
  place(4, 'Lighthouse Lookout', 'View', 'East Pier', 450, 4.9),
  place(5, 'Rye & Salt Bakery', 'Bakery', 'Old Town', 520, 4.5),
  place(6, 'Tram Depot Roasters', 'Café', 'Depot', 610, 4.3),
  place(7, 'Glasshouse Garden', 'Park', 'Hill', 680, 4.6),
  place(8, 'Clock Tower Steps', 'View', 'Old Town', 740, 4.2),
  place(9, 'Museum of Maps', 'Museum', 'Old Town', 820, 4.5),
  place(10, 'Saturday Flea Market', 'Market', 'Depot', 900, 4.1),
  place(11, 'Bluebell Bakehouse', 'Bakery', 'North Bank', 980, 4.4),
  place(12, 'Canal Boat Café', 'Café', 'Canal', 1100, 4.0),
  place(13, 'Hill Garden', 'Park', 'Hill', 1200, 4.7),
  place(14, 'Sunset Terrace', 'View', 'West Cliff', 1300, 4.8),
  place(15, 'Museum of Light', 'Museum', 'Canal', 1450, 4.3),
  place(16, 'Spice Arcade', 'Market', 'Canal', 1600, 4.2),
  place(17, 'Old Mill Bakery', 'Bakery', 'Mill Lane', 1750, 4.6),
  place(18, 'North Pier Café', 'Café', 'North Bank', 1900, 3.9),
  place(19, 'Observatory Park', 'Park', 'West Cliff', 2200, 4.5),
];

/**
 * The map's pins: the six nearest places, at fixed spots of the drawn map
 * (x, y of the pin's tip in CSS px of the 375x667 page).
 */
export const pins = [
  { placeId: 0, x: 150, y: 206 },
  { placeId: 1, x: 66, y: 160 },
  { placeId: 2, x: 262, y: 266 },
  { placeId: 3, x: 316, y: 214 },
  { placeId: 4, x: 268, y: 160 },
  { placeId: 5, x: 112, y: 300 },
].map((pin) => {
  const p = places[pin.placeId];
  return Object.assign({}, pin, { name: p.name, color: p.color, left: pin.x - 13, top: pin.y - 31 });
});

/** The inbox: messages about places, each with a photo. */
export const messages = [
  { id: 0, from: 'Mia Chen', initials: 'MC', tone: '#2f6fed', placeId: 4, subject: 'Sunset from the lighthouse', body: 'Go up around seven, the light over the harbor is unreal.', time: '2 h' },
  { id: 1, from: 'Jonas Weber', initials: 'JW', tone: '#2f9e5b', placeId: 1, subject: 'Picnic on Saturday?', body: 'Riverside Park, by the big willow. Bring the blue blanket.', time: '4 h' },
  { id: 2, from: 'City Guide', initials: 'CG', tone: '#e8833a', placeId: 2, subject: 'New: Maritime Museum night', body: 'Late opening every Thursday until ten, free entry after eight.', time: '1 d' },
  { id: 3, from: 'Ana Souza', initials: 'AS', tone: '#d6455d', placeId: 3, subject: 'Best oysters in town', body: 'Stall 14 at the Fish Market Hall, ask for the small ones.', time: '2 d' },
  { id: 4, from: 'Leo Martin', initials: 'LM', tone: '#7a5af5', placeId: 0, subject: 'Coffee before the tram?', body: 'Harbor Lights opens at seven, I can be there at quarter past.', time: '3 d' },
  { id: 5, from: 'Priya Nair', initials: 'PN', tone: '#c28a2c', placeId: 5, subject: 'Rye & Salt sells out early', body: 'The cardamom buns are gone by ten. Worth the early walk.', time: '5 d' },
];

/** The Guides page: three tabs of short guides. */
export const guideTabs = [
  {
    key: 'eat',
    label: 'Eat',
    guides: [
      { id: 'eat-0', title: 'Breakfast by the water', blurb: 'Four cafés along the harbor that open before seven.', meta: '4 places · 1.2 km walk', color: '#e8833a' },
      { id: 'eat-1', title: 'The bakery crawl', blurb: 'Rye, cardamom and sourdough across the Old Town.', meta: '3 places · 900 m walk', color: '#c28a2c' },
      { id: 'eat-2', title: 'Market lunch', blurb: 'Oysters, flatbread and spice stalls under one roof.', meta: '1 place · 2 hours', color: '#d6455d' },
      { id: 'eat-3', title: 'Late bites', blurb: 'Where to eat after the museums close.', meta: '5 places · 2.4 km walk', color: '#7a5af5' },
    ],
  },
  {
    key: 'see',
    label: 'See',
    guides: [
      { id: 'see-0', title: 'Five viewpoints', blurb: 'From the lighthouse to the West Cliff at golden hour.', meta: '5 places · 3.1 km walk', color: '#2f6fed' },
      { id: 'see-1', title: 'Museum morning', blurb: 'Maps, ships and light: three museums, one ticket.', meta: '3 places · half a day', color: '#7a5af5' },
      { id: 'see-2', title: 'Green Lumen Bay', blurb: 'Parks and a glasshouse garden on the hill.', meta: '4 places · 2.0 km walk', color: '#2f9e5b' },
      { id: 'see-3', title: 'The canal loop', blurb: 'Bridges, boats and the old mill by the water.', meta: '6 stops · 4.5 km walk', color: '#1f8a9e' },
    ],
  },
  {
    key: 'stay',
    label: 'Stay',
    guides: [
      { id: 'stay-0', title: 'Harbor rooms', blurb: 'Small hotels with a view of the boats.', meta: '3 hotels · from 90 a night', color: '#2f6fed' },
      { id: 'stay-1', title: 'Old Town guesthouses', blurb: 'Quiet streets, five minutes from the tram.', meta: '4 houses · from 70 a night', color: '#c28a2c' },
      { id: 'stay-2', title: 'Camping on the cliff', blurb: 'Tents and cabins above the West Cliff.', meta: '2 sites · from 25 a night', color: '#2f9e5b' },
      { id: 'stay-3', title: 'Long stays', blurb: 'Flats by the week near the canal.', meta: '3 flats · from 400 a week', color: '#7a5af5' },
    ],
  },
];

/** The message with this id (a number or its text), or the first one. */
export function findMessage(id) {
  const wanted = Number(id);
  for (let i = 0; i < messages.length; i += 1) {
    if (messages[i].id === wanted) return messages[i];
  }
  return messages[0];
}

/**
 * The map's city blocks, [left, top, width, height] in CSS px, inside the
 * cells the roads leave (roads at x = 94, 190, 290 and y = 110, 234, 360,
 * 470). Parks and water are drawn over them.
 */
export const mapBlocks = [
  [212, 72, 68, 30], [108, 124, 76, 40], [108, 176, 36, 48], [150, 176, 34, 48],
  [252, 176, 30, 48], [302, 170, 60, 54], [16, 252, 70, 44], [16, 304, 70, 46],
  [108, 252, 76, 36], [108, 298, 76, 52], [208, 252, 74, 96], [304, 252, 60, 40],
  [304, 300, 60, 50], [16, 376, 70, 84], [208, 376, 74, 86], [304, 376, 60, 86],
  [16, 486, 70, 60], [108, 486, 76, 60], [16, 556, 70, 50], [108, 556, 76, 50],
].map((b) => 'left: ' + b[0] + 'px; top: ' + b[1] + 'px; width: ' + b[2] + 'px; height: ' + b[3] + 'px;');
