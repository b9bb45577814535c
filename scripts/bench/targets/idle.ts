// A bare idle node process, for scale next to the tiers' idle CPU and memory.
setInterval(() => undefined, 1 << 30);
