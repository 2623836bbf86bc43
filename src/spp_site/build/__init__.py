"""Build machinery: what makes builds fast and correct without changing a byte of output."""
