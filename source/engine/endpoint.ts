/**
 * Where the engine is and how to reach it, as the docker CLI decides it: `--host`, else
 * DOCKER_HOST, else the docker context (DOCKER_CONTEXT, else the CLI config's currentContext),
 * else the local socket — and for that endpoint, dockerode's connection options: a unix socket,
 * `tcp://` (TLS when DOCKER_TLS_VERIFY or DOCKER_CERT_PATH says so, or the context has
 * certificates; port 2376 with TLS, 2375 without), or `ssh://user@host[:port]` (the system ssh
 * runs `docker system dial-stdio` on the remote host, as the CLI does: see ssh.ts).
 */
import {createHash} from 'node:crypto';
import {existsSync, readFileSync} from 'node:fs';
import type {Agent} from 'node:http';
import {homedir} from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import {NetmigrateError} from '../errors.js';
import {sshAgent} from './ssh.js';

export const defaultHost = 'unix:///var/run/docker.sock';

type Environment = Record<string, string | undefined>;

/** The docker CLI's config folder. */
export function dockerConfigDir(environment: Environment = process.env): string {
	return environment.DOCKER_CONFIG ?? path.join(homedir(), '.docker');
}

/** A context's endpoint and TLS folder, from the CLI's context store (contexts/meta/<sha256 of the name>/meta.json). */
export function contextEndpoint(name: string, environment: Environment = process.env): {host: string; tlsDir?: string} | undefined {
	if (name === 'default') return undefined;
	const id = createHash('sha256').update(name).digest('hex');
	const store = path.join(dockerConfigDir(environment), 'contexts');
	try {
		const meta = JSON.parse(readFileSync(path.join(store, 'meta', id, 'meta.json'), 'utf8')) as {
			Endpoints?: {docker?: {Host?: string}};
		};
		const host = meta.Endpoints?.docker?.Host;
		if (!host) return undefined;
		const tlsDir = path.join(store, 'tls', id, 'docker');
		return {host, ...(existsSync(path.join(tlsDir, 'ca.pem')) ? {tlsDir} : {})};
	} catch {
		return undefined;
	}
}

/** The context in use: DOCKER_CONTEXT, else the CLI config's currentContext. */
export function currentContext(environment: Environment = process.env): string | undefined {
	if (environment.DOCKER_CONTEXT) return environment.DOCKER_CONTEXT;
	try {
		const config = JSON.parse(readFileSync(path.join(dockerConfigDir(environment), 'config.json'), 'utf8')) as {
			currentContext?: string;
		};
		return config.currentContext;
	} catch {
		return undefined;
	}
}

/** The engine's address, as the docker CLI picks it. */
export function resolveHost(given: string | undefined, environment: Environment = process.env): string {
	if (given) return given;
	if (environment.DOCKER_HOST) return environment.DOCKER_HOST;
	const context = currentContext(environment);
	return (context && contextEndpoint(context, environment)?.host) ?? defaultHost;
}

/**
 * An engine address as the docker CLI takes it, checked before anything connects: `unix://` with
 * a path, a socket path, or tcp:// http:// https:// ssh:// with a host and a port in 1–65535 (an
 * IPv4 address with every part ≤ 255). `from` names where the address came from (the flag or
 * the variable), for the message.
 */
export function checkHost(host: string, from: string): void {
	const refuse = (why: string) =>
		new NetmigrateError(`${from} ${host} is not a Docker engine address: ${why}`, {
			code: 'bad-input',
			hint: 'use unix:///var/run/docker.sock, tcp://host:2376 (TLS with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH), ssh://user@host, or a socket path',
		});
	if (host.startsWith('/')) return;
	if (host.startsWith('unix://')) {
		if (host.length === 'unix://'.length) throw refuse('the socket path is missing');
		return;
	}
	let url: URL;
	try {
		url = new URL(host);
	} catch {
		const port = /:(\d+)\/?$/.exec(host)?.[1];
		throw refuse(
			port && Number(port) > 65535
				? `port ${port} is beyond 65535`
				: /^[a-z][a-z0-9+.-]*:\/\//i.test(host)
					? 'it does not parse as a URL'
					: 'it has no scheme (unix://, tcp://, ssh://)',
		);
	}
	if (!['tcp:', 'http:', 'https:', 'ssh:'].includes(url.protocol))
		throw refuse(`the scheme ${url.protocol}// is not one the engine speaks`);
	const hostname = url.hostname.replace(/^\[|\]$/g, '');
	if (!hostname) throw refuse('the host name is missing');
	const parts = hostname.split('.');
	if (parts.length === 4 && parts.every((part) => /^\d+$/.test(part)) && parts.some((part) => Number(part) > 255))
		throw refuse(`${hostname} is not an IPv4 address (each part is at most 255)`);
	if (url.port !== '' && (Number(url.port) < 1 || Number(url.port) > 65535)) throw refuse(`port ${url.port} is not in 1–65535`);
}

/** Where the TLS files for `host` are: DOCKER_CERT_PATH (or ~/.docker) when TLS is asked for, else the context's. */
function tlsFolder(environment: Environment): string | undefined {
	if (environment.DOCKER_TLS_VERIFY || environment.DOCKER_CERT_PATH) return environment.DOCKER_CERT_PATH ?? dockerConfigDir(environment);
	const context = currentContext(environment);
	return context && !environment.DOCKER_HOST ? contextEndpoint(context, environment)?.tlsDir : undefined;
}

/** dockerode's options for an engine address. */
export function connectionOptions(host: string, environment: Environment = process.env): Docker.DockerOptions {
	if (host.startsWith('unix://')) return {socketPath: host.slice('unix://'.length)};
	if (host.startsWith('/')) return {socketPath: host};
	const url = new URL(host);
	if (url.protocol === 'ssh:') {
		// HTTP through ssh processes (ssh.ts): dockerode hands `agent` on to docker-modem, which its
		// types leave out; the host name only fills the Host header, as the CLI's dummy one does.
		const overSsh: Docker.DockerOptions & {agent: Agent} = {
			protocol: 'http',
			host: 'api.moby.localhost',
			port: 80,
			agent: sshAgent(host),
		};
		return overSsh;
	}
	if (url.protocol !== 'tcp:' && url.protocol !== 'http:' && url.protocol !== 'https:')
		throw new NetmigrateError(`unsupported engine address ${host}`, {
			code: 'bad-input',
			hint: 'use unix://, tcp:// (TLS with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH), ssh://user@host or a socket path',
		});
	const tls = url.protocol === 'https:' ? (tlsFolder(environment) ?? dockerConfigDir(environment)) : tlsFolder(environment);
	if (!tls) return {host: url.hostname, port: Number(url.port || 2375), protocol: 'http'};
	const read = (file: string) => readFileSync(path.join(tls, file));
	return {
		host: url.hostname,
		port: Number(url.port || 2376),
		protocol: 'https',
		ca: read('ca.pem'),
		cert: read('cert.pem'),
		key: read('key.pem'),
	};
}
