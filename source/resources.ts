/**
 * The files `netmigrate demo` needs besides the code — the example stack and the engine
 * installer — wherever this netmigrate was installed: beside the bundle in a repository
 * checkout or an npm package (they travel in its `files`), or inside the single executable as
 * SEA assets (scripts/build-sea.mjs), which are written out where they are needed.
 */
import {chmodSync, cpSync, mkdirSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {isSingleExecutable, packageRoot} from './version.js';

const exampleStack = 'examples/media-stack';
const engineInstaller = 'test/harness/install-engine.sh';

/** An asset's path in the package and its file mode, as build-sea.mjs lists them in assets.json. */
type AssetEntry = {file: string; mode: number};

/** Copies the bundled example stack into `target` (created). */
export async function copyExampleStack(target: string): Promise<void> {
	if (!isSingleExecutable()) {
		cpSync(path.join(packageRoot(), exampleStack), target, {recursive: true});
		return;
	}
	await writeAssets(`${exampleStack}/`, target);
}

/** The engine installer as a file that `bash` can run, written into `scratch` for the single executable. */
export async function engineInstallerPath(scratch: string): Promise<string> {
	if (!isSingleExecutable()) return path.join(packageRoot(), engineInstaller);
	await writeAssets(engineInstaller, scratch);
	return path.join(scratch, path.basename(engineInstaller));
}

async function writeAssets(prefix: string, target: string): Promise<void> {
	// require, not import(): a single executable's script has no dynamic import; and node:sea
	// exists only from Node 20.12, so it is never loaded outside the executable.
	const {getAsset} = createRequire(import.meta.url)('node:sea') as typeof import('node:sea');
	const entries = JSON.parse(getAsset('assets.json', 'utf8')) as AssetEntry[];
	const chosen = entries.filter((entry) => entry.file.startsWith(prefix) || entry.file === prefix);
	if (chosen.length === 0) throw new Error(`the single executable holds no ${prefix}: it was built without it`);
	for (const {file, mode} of chosen) {
		const destination = path.join(target, prefix.endsWith('/') ? file.slice(prefix.length) : path.basename(file));
		mkdirSync(path.dirname(destination), {recursive: true});
		writeFileSync(destination, new Uint8Array(getAsset(file)));
		chmodSync(destination, mode);
	}
}
