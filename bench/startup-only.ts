/** `npm run bench:startup`: only the start-up figures (a private engine for the home screen), printed, not written. */
import {benchEngine, stopBenchEngine} from './lib.js';
import {startup} from './startup.js';

const engine = await benchEngine();
try {
	const result = await startup(engine.host);
	process.stdout.write(`--help ${Math.round(result.helpMs)} ms · first frame ${Math.round(result.firstFrameMs)} ms · home screen ${Math.round(result.homeMs)} ms (median of ${result.runs}, Docker ${engine.version})\n`);
} finally {
	await stopBenchEngine(engine);
}
