// The catalogue bundled with the app, shown when the shop server cannot be
// reached. Prices are in cents (fen) so no floating-point sums drift.
const products = [
  { id: 1, name: 'Canvas Tote', desc: 'Sturdy cotton, two pockets', price: 4900, color: '#f4a261', initials: 'CT' },
  { id: 2, name: 'Desk Lamp', desc: 'Warm light, three levels', price: 12900, color: '#2a9d8f', initials: 'DL' },
  { id: 3, name: 'Notebook Set', desc: 'Three dotted A5 notebooks', price: 3500, color: '#e76f51', initials: 'NS' },
  { id: 4, name: 'Ceramic Mug', desc: 'Holds 350 ml, dishwasher safe', price: 2800, color: '#264653', initials: 'CM' },
  { id: 5, name: 'Wool Scarf', desc: 'Soft merino, 180 cm long', price: 8900, color: '#8d6cd9', initials: 'WS' },
  { id: 6, name: 'Plant Pot', desc: 'Glazed clay with saucer', price: 3900, color: '#52b788', initials: 'PP' },
];

/** The bundled product with this id, or null. */
function findProduct(id) {
  const wanted = Number(id);
  for (let i = 0; i < products.length; i += 1) {
    if (products[i].id === wanted) return products[i];
  }
  return null;
}

module.exports = { products, findProduct };
