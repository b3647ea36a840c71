/**
 * `netmigrate demo`: the real thing in one command. Starts a private Docker engine (installing
 * Engine and Compose from Debian packages when missing), brings the bundled example stack up
 * in a scratch copy, opens the wizard on it, and stops everything it started on the way out.
 */
import {cpSync, existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {execa} from 'execa';
import {runCompose} from '../engine/compose.js';
import {Engine} from '../engine/docker.js';
import {ensureBusyboxImage} from '../engine/image.js';
import {startPrivateEngine, stopPrivateEngine, type PrivateEngine} from '../sandbox/private-engine.js';
import {NetmigrateError} from '../errors.js';
import {packageRoot} from '../version.js';


export async function demoCommand(write: (text: string) => void, options: {yes: boolean}): Promise<number> {
	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		throw new NetmigrateError('the demo opens the wizard and needs a terminal', {code: 'bad-input', hint: 'run it in a terminal (over SSH: `ssh -t host`), or `npm test` for the headless runs'});
	}
	const installer = path.join(packageRoot(), 'test/harness/install-engine.sh');
	if (existsSync(installer)) await execa('bash', [installer], {stdio: 'inherit'});
	write('demo: starting a private Docker engine (its own socket and data folder)…');
	let engine: PrivateEngine | undefined;
	const scratch = mkdtempSync(path.join(tmpdir(), 'netmigrate-demo-'));
	const stack = path.join(scratch, 'media-stack');
	let cleaned: Promise<void> | undefined;
	const cleanUp = async () => {
		cleaned ??= (async () => {
			write('demo: stopping the example stack and the private engine…');
			if (engine) {
				await runCompose({host: engine.host, directory: stack, files: ['docker-compose.yml']}, ['down', '--timeout', '1']).catch(() => undefined);
				await stopPrivateEngine(engine);
			}
			rmSync(scratch, {recursive: true, force: true});
			write('demo: done, nothing left running');
		})();
		return cleaned;
	};
	// A closed terminal or a dropped SSH session must not leave the engine and its bridges behind.
	const onSignal = (signal: NodeJS.Signals) => {
		void cleanUp().finally(() => process.exit(signal === 'SIGHUP' ? 129 : 143));
	};
	// Writes to a terminal that has gone away fail with EIO; the clean-up must go on regardless.
	process.stdout.on('error', () => undefined);
	// `on`, not `once`: Ink's signal-exit re-raises the signal (killing us mid-clean-up) when it
	// finds itself the only listener, which a `once` listener no longer is by then.
	process.on('SIGHUP', onSignal);
	process.on('SIGTERM', onSignal);
	try {
		engine = await startPrivateEngine();
		write(`demo: Docker ${engine.version} on ${engine.host}`);
		await ensureBusyboxImage(new Engine(engine.host).docker);
		cpSync(path.join(packageRoot(), 'examples/media-stack'), stack, {recursive: true});
		write(`demo: bringing up the example media stack (18 services) in ${stack}…`);
		await runCompose({host: engine.host, directory: stack, files: ['docker-compose.yml']}, ['up', '-d', '--wait']);
		const {runWizard} = await import('../wizard.js');
		return await runWizard({planFile: path.join(stack, 'netmigrate.yml'), host: engine.host, yes: options.yes});
	} finally {
		await cleanUp();
		process.off('SIGHUP', onSignal);
		process.off('SIGTERM', onSignal);
	}
}
