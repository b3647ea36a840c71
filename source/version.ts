/**
 * What this netmigrate is and where its files are. A build (`scripts/build-options.mjs`) writes
 * the version, the commit and the kind of build into the bundle, because an installed package
 * and the single executable have no .git to ask; run from source, both are read on demand.
 */
import {execFileSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export type BuildInfo = {version: string; commit: string; singleExecutable: boolean};

/** Replaced by esbuild's `define` in every build; absent when run from source (tsx). */
declare const NETMIGRATE_BUILD: BuildInfo | undefined;

function builtInfo(): BuildInfo | undefined {
	return typeof NETMIGRATE_BUILD === 'undefined' ? undefined : NETMIGRATE_BUILD;
}

/**
 * The package root: found by walking up, so it works from `source/` (tsx) and `dist/bundle/`
 * alike. The single executable has no package folder (its files are SEA assets: see resources.ts).
 */
export function packageRoot(): string {
	let folder = path.dirname(fileURLToPath(import.meta.url));
	while (!existsSync(path.join(folder, 'package.json')) && path.dirname(folder) !== folder) folder = path.dirname(folder);
	return folder;
}

export function toolVersion(): string {
	return (
		builtInfo()?.version ?? (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as {version: string}).version
	);
}

export function isSingleExecutable(): boolean {
	return builtInfo()?.singleExecutable ?? false;
}

/** `netmigrate --version`: `netmigrate 0.1.0 (commit 1a2b3c4d5e6f, npm package, Node v20.20.2)`. */
export function versionLine(): string {
	const built = builtInfo();
	const commit = built?.commit ?? sourceCommit();
	const kind = built === undefined ? 'from source' : built.singleExecutable ? 'single executable' : 'npm package';
	return `netmigrate ${toolVersion()} (commit ${commit}, ${kind}, Node ${process.version})`;
}

function sourceCommit(): string {
	try {
		return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], {
			cwd: packageRoot(),
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore'],
		}).trim();
	} catch {
		return 'unknown';
	}
}
