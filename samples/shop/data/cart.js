// The cart lives in storage under CART_KEY as
// `{ items: [{ id, name, price, color, initials, qty }] }`, in the order
// items were first added. Every page reads it fresh (onShow), so pages never
// hold a stale copy.
const CART_KEY = 'cart';

/** The stored cart, or an empty one when nothing (or garbage) is stored. */
function readCart() {
  let stored = null;
  try {
    stored = wx.getStorageSync(CART_KEY);
  } catch (e) {
    stored = null;
  }
  if (stored && Array.isArray(stored.items)) return stored;
  return { items: [] };
}

function writeCart(cart) {
  wx.setStorageSync(CART_KEY, cart);
}

/** Adds `qty` of `product` (merging with a line already there). */
function addToCart(cart, product, qty) {
  const items = cart.items.slice();
  const index = items.findIndex((line) => line.id === product.id);
  if (index >= 0) {
    items[index] = Object.assign({}, items[index], { qty: items[index].qty + qty });
  } else {
    items.push({
      id: product.id,
      name: product.name,
      price: product.price,
      color: product.color,
      initials: product.initials,
      qty,
    });
  }
  return { items };
}

/** Sets a line's quantity; zero removes the line. */
function setQuantity(cart, id, qty) {
  const items = [];
  cart.items.forEach((line) => {
    if (line.id !== id) items.push(line);
    else if (qty > 0) items.push(Object.assign({}, line, { qty }));
  });
  return { items };
}

function countItems(cart) {
  return cart.items.reduce((sum, line) => sum + line.qty, 0);
}

/** Total in cents. */
function totalPrice(cart) {
  return cart.items.reduce((sum, line) => sum + line.qty * line.price, 0);
}

module.exports = { CART_KEY, readCart, writeCart, addToCart, setQuantity, countItems, totalPrice };
