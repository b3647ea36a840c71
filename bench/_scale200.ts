export {};
import {execa} from 'execa';
import {runCompose} from '../source/engine/compose.js';
import {shape, writeStack} from './scale.js';
import {cli} from './lib.js';
const host = process.env.NETMIGRATE_TEST_DOCKER_HOST as string;
const root = '/tmp/s200';
const stack = shape(200);
writeStack(root, stack);
const project = {host, directory: root, files: ['docker-compose.yml']};
await runCompose(project, ['up', '-d'], {timeoutMs: 900_000});
for (const command of ['apply', 'rollback']) {
	const t = performance.now();
	const run = await execa(process.execPath, [cli, command, '--yes', '--json', '--host', host], {cwd: root, reject: false, all: true});
	const total = performance.now() - t;
	const steps = run.stdout
		.split('\n')
		.filter((l) => l.startsWith('{'))
		.map((l) => JSON.parse(l))
		.filter((e) => e.type === 'step-done')
		.map((e) => `${e.step}=${e.durationMs}`);
	console.log(command, run.exitCode, Math.round(total), steps.join(' '));
}
await runCompose(project, ['down', '--timeout', '1'], {timeoutMs: 900_000});
