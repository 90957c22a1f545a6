"""rampart: generate hardened Node.js service skeletons and keep them current."""

__version__ = "0.2.0"
