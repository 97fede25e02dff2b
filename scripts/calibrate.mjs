// npm run calibrate: refits the size models (conf/size/*.json) on their measured points and prints
// each point's residual. The fitting is src/size/calibrate.ts, bundled by the build.
import { calibrateShippedModels } from '../dist/calibrate.js';

for (const line of calibrateShippedModels()) console.log(line);
