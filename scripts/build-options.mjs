/**
 * What the npm bundle (`build.mjs`) and the single executable (`build-sea.mjs`) share: the
 * esbuild options and the build facts `netmigrate --version` prints. The commit is read here,
 * at build time, because neither an installed tarball nor the single executable has a .git.
 */
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** `abc1234`, `abc1234+changes` for a dirty tree, or `unknown` outside a git checkout. */
export function gitCommit() {
	try {
		const commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], {
			cwd: root,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore'],
		}).trim();
		const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
			cwd: root,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore'],
		}).trim();
		return dirty ? `${commit}+changes` : commit;
	} catch {
		return 'unknown';
	}
}

/** The value of the `NETMIGRATE_BUILD` constant that source/version.ts reads. */
export function buildInfo(singleExecutable) {
	const {version} = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
	return {version, commit: gitCommit(), singleExecutable};
}

/** Options both bundles use: Node 20, JSX, production React, no gRPC (BuildKit is never used). */
export function commonOptions(singleExecutable) {
	const stub = path.join(root, 'source/engine/buildkit-stub.cjs');
	return {
		absWorkingDir: root,
		bundle: true,
		platform: 'node',
		target: 'node20',
		jsx: 'automatic',
		// Only loaded when DEV=true (React devtools for Ink).
		external: ['react-devtools-core'],
		plugins: [withoutOptionalNative, sshOnDemand],
		alias: {'@grpc/grpc-js': stub, '@grpc/proto-loader': stub, protobufjs: stub},
		define: {
			'process.env.NODE_ENV': '"production"',
			NETMIGRATE_BUILD: JSON.stringify(buildInfo(singleExecutable)),
		},
		logLevel: 'warning',
	};
}

/**
 * ssh2 (dockerode's transport for an ssh:// --host) is pure JavaScript and is bundled; it tries
 * two optional native speed-ups inside try/catch (and debug, under it, an optional supports-color). They resolve to a module that throws, as a
 * missing one would, so neither bundle looks for files that are not there (the single
 * executable would warn that its require reaches only built-ins).
 */
const withoutOptionalNative = {
	name: 'without-optional-native',
	setup(esbuild) {
		esbuild.onResolve({filter: /^cpu-features$|^supports-color$|sshcrypto\.node$/}, ({path: request}) => ({
			path: request,
			namespace: 'absent',
		}));
		esbuild.onLoad({filter: /.*/, namespace: 'absent'}, ({path: request}) => ({
			contents: `throw new Error(${JSON.stringify(`${request} is not bundled`)});`,
			loader: 'js',
		}));
	},
};

/**
 * docker-modem requires its ssh transport (and with it all of ssh2, ~100 ms to evaluate) when it
 * loads, though only an ssh:// --host uses it. Its `./ssh` resolves to a shim that requires the
 * real one on first call; esbuild evaluates a bundled CommonJS module when it is first required,
 * so ssh2 is then evaluated only for an ssh:// engine, in the npm bundle and the single executable alike.
 */
const sshOnDemand = {
	name: 'ssh-on-demand',
	setup(esbuild) {
		esbuild.onResolve({filter: /^\.\/ssh$/}, ({path: request, importer, resolveDir}) => {
			if (!/docker-modem[\\/]lib[\\/]modem\.js$/.test(importer)) return undefined;
			return {path: path.join(resolveDir, 'ssh.js'), namespace: 'ssh-on-demand'};
		});
		esbuild.onLoad({filter: /.*/, namespace: 'ssh-on-demand'}, ({path: real}) => ({
			contents: `module.exports = function (options) { return require(${JSON.stringify(real)})(options); };`,
			loader: 'js',
			resolveDir: path.dirname(real),
		}));
	},
};
