/**
 * `start` prints shell assignments for a fresh private engine; `stop <root> <pid>` stops it.
 * Used by test/run.sh so every test file of a run shares one engine.
 */
import {ensureBusyboxImage} from '../../source/engine/image.js';
import {engineTools, startPrivateEngine, stopPrivateEngine} from '../../source/sandbox/private-engine.js';
import Docker from 'dockerode';

const [command, root, pid] = process.argv.slice(2);
if (command === 'start') {
	const started = Date.now();
	const engine = await startPrivateEngine();
	await ensureBusyboxImage(new Docker({socketPath: engine.socketPath}));
	console.error(
		`engine: private dockerd ${engine.version} (API ${engine.apiVersion}) on ${engine.host}, ready in ${Date.now() - started} ms`,
	);
	const tools = engineTools();
	console.log(
		`NETMIGRATE_TEST_DOCKER_HOST=${engine.host}; ENGINE_ROOT=${engine.root}; ENGINE_PID=${engine.pid}; ENGINE_BIN=${tools.binDir ?? ''}; ENGINE_DOCKER_CONFIG=${tools.dockerConfig ?? ''}`,
	);
} else if (command === 'stop' && root && pid) {
	await stopPrivateEngine({root, pid: Number(pid), socketPath: `${root}/docker.sock`});
	console.error('engine: stopped');
} else {
	console.error('usage: engine-cli start | stop <root> <pid>');
	process.exit(2);
}
