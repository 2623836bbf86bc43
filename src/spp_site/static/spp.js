// Progressive enhancement for the SPP 2298 site. Every page works without it.
"use strict";
