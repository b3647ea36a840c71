/**
 * `netmigrate demo`: the real thing in one command. Starts a private Docker engine (installing
 * Engine and Compose from Debian packages when missing), brings the bundled example stack up
 * in a scratch copy, opens the wizard on it, and stops everything it started on the way out.
 * Works the same from a checkout, an installed npm package and the single executable: the
 * example and the installer come from resources.ts.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {execa} from 'execa';
import {runCompose} from '../engine/compose.js';
import {Engine} from '../engine/docker.js';
import {ensureBusyboxImage} from '../engine/image.js';
import {startPrivateEngine, stopPrivateEngine, type PrivateEngine} from '../sandbox/private-engine.js';
import {NetmigrateError} from '../errors.js';
import {copyExampleStack, engineInstallerPath} from '../resources.js';

export async function demoCommand(write: (text: string) => void, options: {yes: boolean}): Promise<number> {
	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		throw new NetmigrateError('the demo opens the wizard and needs a terminal', {
			code: 'bad-input',
			hint: 'run it in a terminal (over SSH: `ssh -t host`), or `npm test` for the headless runs',
		});
	}
	const scratch = mkdtempSync(path.join(tmpdir(), 'netmigrate-demo-'));
	await installEngine(scratch).catch((error: unknown) => {
		rmSync(scratch, {recursive: true, force: true});
		throw error;
	});
	write('demo: starting a private Docker engine (its own socket and data folder)…');
	let engine: PrivateEngine | undefined;
	const stack = path.join(scratch, 'media-stack');
	let cleaned: Promise<void> | undefined;
	const cleanUp = async () => {
		cleaned ??= (async () => {
			write('demo: stopping the example stack and the private engine…');
			if (engine) {
				await runCompose({host: engine.host, directory: stack, files: ['docker-compose.yml']}, ['down', '--timeout', '1']).catch(
					() => undefined,
				);
				await stopPrivateEngine(engine);
			}
			rmSync(scratch, {recursive: true, force: true});
			write('demo: done, nothing left running');
		})();
		return cleaned;
	};
	// A closed terminal or a dropped SSH session must not leave the engine and its bridges behind.
	// While the wizard is open it handles a hang-up itself (the run stops after its current action,
	// saved); the clean-up below then follows when the wizard returns.
	let wizardOpen = false;
	const onSignal = (signal: NodeJS.Signals) => {
		if (signal === 'SIGHUP' && wizardOpen) return;
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
		await copyExampleStack(stack);
		write(`demo: bringing up the example media stack (18 services) in ${stack}…`);
		await runCompose({host: engine.host, directory: stack, files: ['docker-compose.yml']}, ['up', '-d', '--wait']);
		const {runWizard} = await import('../wizard.js');
		wizardOpen = true;
		return await runWizard({planFile: path.join(stack, 'netmigrate.yml'), host: engine.host, yes: options.yes});
	} finally {
		await cleanUp();
		process.off('SIGHUP', onSignal);
		process.off('SIGTERM', onSignal);
	}
}

/**
 * Docker Engine, Compose v2 and a static busybox (for the offline image), from Debian packages
 * when missing: the installer says what it found, or that it needs root, and then so do we.
 */
async function installEngine(scratch: string): Promise<void> {
	const installer = await engineInstallerPath(scratch);
	// The demo runs on the engine Debian's trixie installs (26); the tests also use 28.
	const result = await execa('bash', [installer, '26'], {stdio: 'inherit', reject: false});
	if (result.exitCode === 0) return;
	// The single executable's argv[1] is the executable itself; the npm bin's is its script.
	const self = process.argv[1] && process.argv[1] !== process.execPath ? [process.execPath, process.argv[1]] : [process.execPath];
	const hint =
		process.getuid?.() === 0
			? `the installer's output above says what failed (it runs \`bash ${installer}\`)`
			: `run it as root (it installs them from Debian packages, then starts its own dockerd): sudo ${[...self, 'demo'].join(' ')}`;
	throw new NetmigrateError('the demo needs Docker Engine, Compose v2 and a static busybox, and could not install them', {
		code: 'bad-input',
		hint,
	});
}
