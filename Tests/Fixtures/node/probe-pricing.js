// The module diag probe wraps in ProbeTests: a sync function that throws on a bad item, an
// async one that settles after a timer, a constructor, and one the service only calls
// through a destructured reference (reachable by a logpoint, not by export wrapping).
'use strict';

function quote(id, quantity) {
  if (id === 'bad') throw new TypeError('no price for bad');
  return { id, total: quantity * 3 };
}

async function settle(id, milliseconds) {
  await new Promise((resolve) => setTimeout(resolve, milliseconds));
  return `settled ${id}`;
}

function Basket(owner) {
  this.owner = owner;
}
Basket.prototype.describe = function () { return `basket of ${this.owner}`; };

function discount(id) {
  return id.length; // logpoint line
}

module.exports = { quote, settle, Basket, discount };
