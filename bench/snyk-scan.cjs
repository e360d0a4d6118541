// Runs snyk-docker-plugin's scan on one image and prints the number of packages in its dependency graphs.
// Usage: node bench/snyk-scan.cjs <snyk-docker-plugin folder> oci-archive:<file> <out.json>
'use strict';
const { writeFileSync } = require('node:fs');
const plugin = require(process.argv[2]);
plugin
  .scan({ path: process.argv[3] })
  .then((res) => {
    let packages = 0;
    for (const r of res.scanResults) for (const f of r.facts) if (f.type === 'depGraph') packages += f.data.getPkgs().length - 1;
    writeFileSync(process.argv[4], JSON.stringify({ packages }));
  })
  .catch((error) => {
    process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
    process.exit(1);
  });
