// Preloaded into a relay process (NODE_OPTIONS=--import=<this file>) by a test that must
// see a slot's time come without waiting for the next whole minute: the process's clock
// reads TEST_CLOCK_SHIFT_MS later than the machine's. Everything else (timers, sockets,
// Redis, a SIGKILL) is real.
const shift = Number(process.env.TEST_CLOCK_SHIFT_MS ?? 0);
const machineNow = Date.now;
Date.now = () => machineNow() + shift;
