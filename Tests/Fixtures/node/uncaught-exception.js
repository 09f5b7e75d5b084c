// Throws an uncaught exception from known functions inside a timer. Run with
// --abort-on-uncaught-exception, it aborts with a core whose JavaScript frames are
// validateShipment <- processOrder <- handleOrderTimer.
'use strict';

function validateShipment(order) {
  if (order.weight > 10) {
    throw new Error(`shipment ${order.id} is too heavy`);
  }
  return order;
}

function processOrder(order) {
  const checked = validateShipment(order);
  return checked.id;
}

function handleOrderTimer() {
  processOrder({ id: 7, weight: 12 });
}

setTimeout(handleOrderTimer, 50);
