"""Engine version, stored with every analysis and plan so a chart can say which reasoning produced it."""

ENGINE_VERSION = "1.3.0"
