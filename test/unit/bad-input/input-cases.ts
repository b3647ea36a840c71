/**
 * The bad-input corpus, inputs side (issue 26): plan files, compose files, `.env` files and
 * command lines a careless operator or an attacker would give, each with the exit code and the
 * message (the file:line or flag, and the fix) netmigrate must answer with, and the secrets it
 * planted that must be shown nowhere. Run by test/unit/bad-input.test.ts through
 * test/harness/bad-input.ts, in a fresh copy of examples/media-stack with no engine.
 */
import {execFileSync} from 'node:child_process';
import {mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import type {BadInput} from '../../harness/bad-input.js';

function write(stack: string, file: string, text: string | Buffer): void {
	mkdirSync(path.dirname(path.join(stack, file)), {recursive: true});
	writeFileSync(path.join(stack, file), text);
}

/** Replaces `from` (which must be there) in a stack file. */
function edit(stack: string, file: string, from: string, to: string): void {
	const text = readFileSync(path.join(stack, file), 'utf8');
	if (!text.includes(from)) throw new Error(`${file} has no ${JSON.stringify(from)}`);
	writeFileSync(path.join(stack, file), text.replace(from, to));
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The file (by its path's end) with a line, then the message, then a fix. */
const at = (file: string, what: string) => new RegExp(`${escape(file)}:\\d+[^\\n]*${what}[\\s\\S]*fix: `, 'i');
/** The file or flag named (no line), then the message, then a fix. */
const named = (name: string, what: string) => new RegExp(`${escape(name)}[\\s\\S]*${what}[\\s\\S]*fix: `, 'i');

const planFile = 'netmigrate.yml';
const cloudflared = 'cloudflared/docker-compose.yml';
const web = 'web-ui/docker-compose.yml';

/** A FIFO nobody writes to: reading it hangs. */
function fifo(file: string): void {
	mkdirSync(path.dirname(file), {recursive: true});
	execFileSync('mkfifo', [file]);
}

/** A file of `megabytes` MB of comment lines (valid YAML, valid .env). */
function big(file: string, megabytes: number): void {
	const line = `# ${'x'.repeat(1021)}\n`;
	writeFileSync(file, line.repeat(megabytes * 1024));
}

const bomb = (prefix: string) =>
	[
		`${prefix}a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]`,
		`${prefix}b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]`,
		`${prefix}c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]`,
		`${prefix}d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]`,
		`${prefix}e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]`,
		`${prefix}f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]`,
		`${prefix}g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]`,
		`${prefix}h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]`,
		`${prefix}i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]`,
	].join('\n') + '\n';

/** Puts `keys` (service-level YAML, 4-space indented) after cloudflared's `networks:` list, where the dry-run diff shows them as context. */
function cloudflaredKeys(stack: string, keys: string): void {
	edit(stack, cloudflared, '    environment:\n      TUNNEL_TOKEN: eyJhIjoiZmFrZS10dW5uZWwtdG9rZW4ifQ==\n', '');
	edit(stack, cloudflared, '    command: ["sh", "-c", "exec sleep 2147483647"]\n', '');
	edit(stack, cloudflared, '      - media-network\n\nnetworks:', `      - media-network\n${keys}\nnetworks:`);
}

// ---------------------------------------------------------------- secrets
const secretShapes: Array<{name: string; keys: string; secret: string; shown: RegExp; env?: string}> = [
	{
		name: 'an interpolation default in environment',
		keys: '    environment:\n      DB_URL: ${DB_PASSWORD:-S3CRET-d1}',
		secret: 'S3CRET-d1',
		shown: /DB_URL: \*\*\*\*/,
	},
	{
		name: 'an interpolation default in a list-form environment',
		keys: '    environment:\n      - OAUTH_SECRET=${GOOGLE_CLIENT_SECRET:-S3CRET-d2}',
		secret: 'S3CRET-d2',
		shown: /OAUTH_SECRET=\*\*\*\*/,
	},
	{
		name: 'an interpolation default in a label',
		keys: '    labels:\n      - "app.token=${APP_TOKEN:-S3CRET-d3}"',
		secret: 'S3CRET-d3',
		shown: /app\.token=\*\*\*\*/,
	},
	{
		name: 'an interpolation default in a command',
		keys: '    command: ["app", "--db", "${DB_URL:-postgres://app:S3CRET-d4@db/app}"]',
		secret: 'S3CRET-d4',
		shown: /postgres:\/\/app:\*\*\*\*@db/,
	},
	{
		name: 'a :+ alternative holding a password',
		keys: '    environment:\n      DSN: ${USE_DB:+mysql://root:S3CRET-d5@db}',
		secret: 'S3CRET-d5',
		shown: /DSN: \*\*\*\*/,
	},
	{
		name: 'credentials in a URL label (list form)',
		keys: '    labels:\n      - "backup.target=postgres://backup:S3CRET-u1@db:5432/media"',
		secret: 'S3CRET-u1',
		shown: /postgres:\/\/backup:\*\*\*\*@db:5432/,
	},
	{
		name: 'credentials in a URL label (map form)',
		keys: '    labels:\n      com.example.dsn: mongodb://root:S3CRET-u2@mongo:27017',
		secret: 'S3CRET-u2',
		shown: /mongodb:\/\/root:\*\*\*\*@mongo/,
	},
	{
		name: 'credentials in a URL in a command',
		keys: '    command: ["sh", "-c", "pg_dump postgres://app:S3CRET-u3@db/app > /dump.sql"]',
		secret: 'S3CRET-u3',
		shown: /postgres:\/\/app:\*\*\*\*@db\/app/,
	},
	{
		name: 'credentials in a URL in a healthcheck',
		keys: '    healthcheck:\n      test: ["CMD", "wget", "-q", "http://admin:S3CRET-u4@127.0.0.1:8080/ping"]',
		secret: 'S3CRET-u4',
		shown: /http:\/\/admin:\*\*\*\*@127/,
	},
	{
		name: 'credentials in an extension field',
		keys: '    x-backup: "s3://AKIDEXAMPLE:S3CRET-u5@bucket.example.com/media"',
		secret: 'S3CRET-u5',
		shown: /s3:\/\/AKIDEXAMPLE:\*\*\*\*@bucket/,
	},
	{
		name: 'password= in a folded command',
		keys: '    command: >\n      server --db-host db\n      password=S3CRET-f1 --verbose',
		secret: 'S3CRET-f1',
		shown: /password=\*\*\*\*/,
	},
	{
		name: '--password= in a command string',
		keys: '    command: server --password=S3CRET-f2 --port 80',
		secret: 'S3CRET-f2',
		shown: /--password=\*\*\*\*/,
	},
	{
		name: '-p and its value in a list-form command',
		keys: '    command: ["mysqladmin", "-u", "root", "-p", "S3CRET-f3", "ping"]',
		secret: 'S3CRET-f3',
		shown: /"-p", "\*\*\*\*"/,
	},
	{
		name: '--requirepass in a list-form command',
		keys: '    command: ["redis-server", "--requirepass", "S3CRET-f4"]',
		secret: 'S3CRET-f4',
		shown: /"--requirepass", "\*\*\*\*"/,
	},
	{
		name: 'curl -u user:password in a command',
		keys: '    command: ["sh", "-c", "curl -fsS -u admin:S3CRET-f5 http://127.0.0.1/api"]',
		secret: 'S3CRET-f5',
		shown: /-u admin:\*\*\*\*/,
	},
	{
		name: 'curl --user in a healthcheck string',
		keys: '    healthcheck:\n      test: curl -fsS --user admin:S3CRET-f6 http://127.0.0.1/',
		secret: 'S3CRET-f6',
		shown: /--user admin:\*\*\*\*/,
	},
	{
		name: 'an api key flag in an entrypoint list',
		keys: '    entrypoint: ["/init", "--api-key", "S3CRET-f7"]',
		secret: 'S3CRET-f7',
		shown: /"--api-key", "\*\*\*\*"/,
	},
	{
		name: 'token= in a healthcheck URL query',
		keys: '    healthcheck:\n      test: ["CMD", "wget", "-q", "http://127.0.0.1/health?token=S3CRET-f8"]',
		secret: 'S3CRET-f8',
		shown: /token=\*\*\*\*/,
	},
	{
		name: 'a bearer header in a healthcheck list',
		keys: '    healthcheck:\n      test: ["CMD", "curl", "-H", "Authorization: Bearer S3CRET-h1", "http://127.0.0.1/"]',
		secret: 'S3CRET-h1',
		shown: /Authorization: Bearer \*\*\*\*/,
	},
	{
		name: 'a bearer header in a healthcheck string',
		keys: '    healthcheck:\n      test: "curl -fsS -H \'Authorization: Bearer S3CRET-h2\' http://127.0.0.1/"',
		secret: 'S3CRET-h2',
		shown: /Authorization: Bearer \*\*\*\*/,
	},
	{
		name: 'a basic header in a command',
		keys: '    command: ["sh", "-c", "wget --header \\"Authorization: Basic S3CRET-h3\\" http://x/"]',
		secret: 'S3CRET-h3',
		shown: /Authorization: Basic \*\*\*\*/,
	},
	{
		name: 'an api-key header in a healthcheck',
		keys: '    healthcheck:\n      test: ["CMD", "curl", "-H", "X-Api-Key: S3CRET-h4", "http://127.0.0.1/"]',
		secret: 'S3CRET-h4',
		shown: /X-Api-Key: \*\*\*\*/,
	},
	{
		name: 'a basic-auth label',
		keys: '    labels:\n      - "traefik.http.middlewares.auth.basicauth.users=admin:$$apr1$$S3CRET-l1"',
		secret: 'S3CRET-l1',
		shown: /basicauth\.users=\*\*\*\*/,
	},
	{
		name: 'a secret-named label',
		keys: '    labels:\n      webhook.secret: S3CRET-l2',
		secret: 'S3CRET-l2',
		shown: /webhook\.secret: \*\*\*\*/,
	},
	{
		name: 'a multi-line environment value',
		keys: '    environment:\n      SSH_KEY: |\n        -----BEGIN KEY-----\n        S3CRET-m1',
		secret: 'S3CRET-m1',
		shown: /SSH_KEY: \*\*\*\*/,
	},
];

const secrets: BadInput[] = secretShapes.flatMap((shape): BadInput[] => [
	{
		name: `secret: ${shape.name} is masked in the dry-run diff`,
		category: 'secrets',
		setup: (stack) => cloudflaredKeys(stack, shape.keys),
		argv: ['plan'],
		exit: 0,
		message: shape.shown,
		secrets: [shape.secret],
	},
]);
secrets.push(
	...['S3CRET-d1', 'S3CRET-u1', 'S3CRET-h1'].map(
		(secret): BadInput => ({
			name: `secret: ${secret} stays out of the --json events`,
			category: 'secrets',
			setup: (stack) => cloudflaredKeys(stack, (secretShapes.find((shape) => shape.secret === secret) as {keys: string}).keys),
			argv: ['plan', '--json'],
			exit: 0,
			message: /"iteration":"network-foundation"/,
			secrets: [secret],
		}),
	),
	{
		name: 'secret: a firewall rule naming WIREGUARD_PRIVATE_KEY as its allow-list is refused before anything is shown',
		category: 'secrets',
		setup: (stack) => edit(stack, planFile, 'variable: FIREWALL_OUTBOUND_SUBNETS', 'variable: WIREGUARD_PRIVATE_KEY'),
		argv: ['plan'],
		exit: 2,
		message: at(planFile, 'WIREGUARD_PRIVATE_KEY.*(subnet|address)'),
		secrets: ['wOEI9rqqbDwnN8/Bpp22sVz48T71vJ4fYmFWujulwUU='],
	},
	{
		name: 'secret: a firewall rule naming a .env password as its allow-list is refused',
		category: 'secrets',
		setup: (stack) => {
			edit(
				stack,
				'qbittorrent/docker-compose.yml',
				'      - TZ=${TZ}\n',
				'      - TZ=${TZ}\n      - VPN_PASSWORD=${GRAFANA_ADMIN_PASSWORD}\n',
			);
			edit(stack, planFile, 'variable: FIREWALL_OUTBOUND_SUBNETS', 'variable: VPN_PASSWORD');
		},
		argv: ['plan'],
		exit: 2,
		message: at(planFile, 'VPN_PASSWORD.*(subnet|address)'),
		secrets: ['correct-horse-battery-staple'],
	},
	{
		name: 'secret: a firewall rule naming a non-list variable (VPN_TYPE) is refused',
		category: 'secrets',
		setup: (stack) => edit(stack, planFile, 'variable: FIREWALL_OUTBOUND_SUBNETS', 'variable: VPN_TYPE'),
		argv: ['plan'],
		exit: 2,
		message: at(planFile, 'VPN_TYPE.*(subnet|address)'),
	},
	{
		name: 'secret: the allow-list variable itself stays shown',
		category: 'secrets',
		setup: () => undefined,
		argv: ['plan'],
		exit: 0,
		message: /FIREWALL_OUTBOUND_SUBNETS=172\.18\.0\.0\/16,192\.168\.1\.0\/24,172\.20\.0\.0\/16/,
		secrets: ['wOEI9rqqbDwnN8/Bpp22sVz48T71vJ4fYmFWujulwUU=', 'eyJhIjoiZmFrZS10dW5uZWwtdG9rZW4ifQ=='],
	},
	{
		name: 'secret: an empty allow-list variable (to be filled) is accepted',
		category: 'secrets',
		setup: (stack) =>
			edit(
				stack,
				'qbittorrent/docker-compose.yml',
				'FIREWALL_OUTBOUND_SUBNETS=172.18.0.0/16,192.168.1.0/24',
				'FIREWALL_OUTBOUND_SUBNETS=',
			),
		argv: ['plan'],
		exit: 0,
		message: /FIREWALL_OUTBOUND_SUBNETS=172\.20\.0\.0\/16/,
	},
);

// ---------------------------------------------------------------- crash and hang
const crashHang: BadInput[] = [
	{
		name: 'crash: an alias bomb used by a service',
		category: 'crash-hang',
		setup: (stack) => {
			write(stack, web, bomb('x-') + readFileSync(path.join(stack, web), 'utf8'));
			edit(stack, web, '    environment:\n', '    labels:\n      bomb: *i\n    environment:\n');
		},
		argv: ['plan'],
		exit: 2,
		message: at(web, 'alias'),
	},
	{
		name: 'crash: an unused alias bomb in x- fields',
		category: 'crash-hang',
		setup: (stack) => write(stack, web, bomb('x-') + readFileSync(path.join(stack, web), 'utf8')),
		argv: ['plan'],
		exit: 2,
		message: at(web, 'alias'),
	},
	{
		name: 'crash: an alias bomb in the root compose file',
		category: 'crash-hang',
		setup: (stack) => write(stack, 'docker-compose.yml', readFileSync(path.join(stack, 'docker-compose.yml'), 'utf8') + bomb('x-')),
		argv: ['plan'],
		exit: 2,
		message: at('docker-compose.yml', 'alias'),
	},
	{
		name: 'crash: an alias bomb merged into a service with <<',
		category: 'crash-hang',
		setup: (stack) => {
			write(stack, web, bomb('x-') + readFileSync(path.join(stack, web), 'utf8'));
			edit(stack, web, '    pull_policy: never\n', '    pull_policy: never\n    x-lol: *i\n');
		},
		argv: ['plan'],
		exit: 2,
		message: at(web, 'alias'),
	},
	{
		name: 'crash: a billion-laughs plan file',
		category: 'crash-hang',
		setup: (stack) => write(stack, planFile, bomb('x-') + readFileSync(path.join(stack, planFile), 'utf8')),
		argv: ['plan'],
		exit: 2,
		message: at(planFile, 'alias'),
	},
	{
		name: 'crash: a billion-laughs plan used in a value',
		category: 'crash-hang',
		setup: (stack) =>
			write(stack, planFile, `lol: &a [x, x, x, x, x, x, x, x, x]\n${bomb('l')}${readFileSync(path.join(stack, planFile), 'utf8')}`),
		argv: ['status'],
		exit: 2,
		message: at(planFile, 'alias'),
	},
	{
		name: 'crash: a billion-laughs --tiers file',
		category: 'crash-hang',
		setup: (stack) => write(stack, 'tiers.yml', bomb('')),
		argv: ['init', '--tiers', 'tiers.yml', '--output', 'draft.yml'],
		exit: 2,
		message: named('tiers.yml', 'alias'),
	},
	{
		name: 'crash: stack.files names /dev/zero',
		category: 'crash-hang',
		setup: (stack) => edit(stack, planFile, 'files: [docker-compose.yml]', 'files: [/dev/zero]'),
		argv: ['plan'],
		exit: 2,
		message: named('/dev/zero', 'not a regular file'),
	},
	{
		name: 'crash: stack.files names /dev/urandom',
		category: 'crash-hang',
		setup: (stack) => edit(stack, planFile, 'files: [docker-compose.yml]', 'files: [/dev/urandom]'),
		argv: ['plan'],
		exit: 2,
		message: named('/dev/urandom', 'not a regular file'),
	},
	{
		name: 'hang: the compose file is a FIFO',
		category: 'crash-hang',
		setup: (stack) => {
			rmSync(path.join(stack, 'docker-compose.yml'));
			fifo(path.join(stack, 'docker-compose.yml'));
		},
		argv: ['plan'],
		exit: 2,
		message: named('docker-compose.yml', 'not a regular file'),
	},
	{
		name: 'hang: an included compose file is a FIFO',
		category: 'crash-hang',
		setup: (stack) => {
			rmSync(path.join(stack, web));
			fifo(path.join(stack, web));
		},
		argv: ['plan'],
		exit: 2,
		message: named(web, 'not a regular file'),
	},
	{
		name: 'crash: an included compose file is a directory',
		category: 'crash-hang',
		setup: (stack) => {
			rmSync(path.join(stack, web));
			mkdirSync(path.join(stack, web));
		},
		argv: ['plan'],
		exit: 2,
		message: named(web, 'not a regular file'),
	},
	{
		name: 'crash: a 100 MB compose file',
		category: 'crash-hang',
		setup: (stack) => big(path.join(stack, 'web-ui/docker-compose.yml'), 100),
		argv: ['plan'],
		exit: 2,
		message: named(web, 'too large'),
	},
	{
		name: 'crash: a compose file that is a link to /dev/zero',
		category: 'crash-hang',
		setup: (stack) => {
			rmSync(path.join(stack, web));
			symlinkSync('/dev/zero', path.join(stack, web));
		},
		argv: ['plan'],
		exit: 2,
		message: named(web, 'not a regular file'),
	},
	{
		name: 'crash: --plan /dev/zero',
		category: 'crash-hang',
		setup: () => undefined,
		argv: ['plan', '--plan', '/dev/zero'],
		exit: 2,
		message: named('/dev/zero', 'not a regular file'),
	},
	{
		name: 'hang: --plan names a FIFO',
		category: 'crash-hang',
		setup: (stack) => fifo(path.join(stack, 'plan.fifo')),
		argv: ['plan', '--plan', 'plan.fifo'],
		exit: 2,
		message: named('plan.fifo', 'not a regular file'),
	},
	{
		name: 'crash: --plan names a directory',
		category: 'crash-hang',
		setup: () => undefined,
		argv: ['plan', '--plan', 'traefik'],
		exit: 2,
		message: named('traefik', 'not a regular file'),
	},
	{
		name: 'crash: a 100 MB plan file',
		category: 'crash-hang',
		setup: (stack) => big(path.join(stack, 'huge.yml'), 100),
		argv: ['plan', '--plan', 'huge.yml'],
		exit: 2,
		message: named('huge.yml', 'too large'),
	},
	{
		name: 'hang: .env is a FIFO',
		category: 'crash-hang',
		setup: (stack) => {
			rmSync(path.join(stack, '.env'));
			fifo(path.join(stack, '.env'));
		},
		argv: ['plan'],
		exit: 2,
		message: named('.env', 'not a regular file'),
	},
	{
		name: 'crash: .env is a link to /dev/zero',
		category: 'crash-hang',
		setup: (stack) => {
			rmSync(path.join(stack, '.env'));
			symlinkSync('/dev/zero', path.join(stack, '.env'));
		},
		argv: ['plan'],
		exit: 2,
		message: named('.env', 'not a regular file'),
	},
	{
		name: 'crash: a 100 MB .env',
		category: 'crash-hang',
		setup: (stack) => big(path.join(stack, '.env'), 100),
		argv: ['plan'],
		exit: 2,
		message: named('.env', 'too large'),
	},
	{
		name: 'hang: an env_file: is a FIFO',
		category: 'crash-hang',
		setup: (stack) => {
			fifo(path.join(stack, 'web-ui/web.env'));
			edit(stack, web, '    environment:\n', '    env_file: web.env\n    environment:\n');
		},
		argv: ['plan'],
		exit: 2,
		message: named('web.env', 'not a regular file'),
	},
	{
		name: 'crash: --env-file /dev/zero',
		category: 'crash-hang',
		setup: () => undefined,
		argv: ['plan', '--env-file', '/dev/zero'],
		exit: 2,
		message: named('/dev/zero', 'not a regular file'),
	},
	{
		name: 'hang: --env-file names a FIFO',
		category: 'crash-hang',
		setup: (stack) => fifo(path.join(stack, 'env.fifo')),
		argv: ['plan', '--env-file', 'env.fifo'],
		exit: 2,
		message: named('env.fifo', 'not a regular file'),
	},
	{
		name: 'crash: --tiers names /dev/zero',
		category: 'crash-hang',
		setup: () => undefined,
		argv: ['init', '--tiers', '/dev/zero', '--output', 'draft.yml'],
		exit: 2,
		message: named('/dev/zero', 'not a regular file'),
	},
	{
		name: 'crash: 20000 nested lists in a compose file',
		category: 'crash-hang',
		setup: (stack) =>
			write(stack, web, `${readFileSync(path.join(stack, web), 'utf8')}x-deep: ${'['.repeat(20000)}${']'.repeat(20000)}\n`),
		argv: ['plan'],
		exit: 2,
		message: at(web, 'nest'),
	},
	{
		name: 'crash: 20000 nested maps in a compose file',
		category: 'crash-hang',
		setup: (stack) =>
			write(stack, web, `${readFileSync(path.join(stack, web), 'utf8')}x-deep: ${'{a: '.repeat(20000)}1${'}'.repeat(20000)}\n`),
		argv: ['plan'],
		exit: 2,
		message: at(web, 'nest'),
	},
	{
		name: 'crash: 20000 nested lists in the plan',
		category: 'crash-hang',
		setup: (stack) =>
			write(stack, planFile, `${readFileSync(path.join(stack, planFile), 'utf8')}x-deep: ${'['.repeat(20000)}${']'.repeat(20000)}\n`),
		argv: ['plan'],
		exit: 2,
		message: at(planFile, 'nest'),
	},
	{
		name: 'crash: deep block nesting in the plan',
		category: 'crash-hang',
		setup: (stack) =>
			write(
				stack,
				planFile,
				`${readFileSync(path.join(stack, planFile), 'utf8')}x-deep:\n${Array.from({length: 3000}, (_, depth) => `${' '.repeat(depth + 1)}- `).join('\n')}x\n`,
			),
		argv: ['plan'],
		exit: 2,
		message: new RegExp(`${escape(planFile)}[\\s\\S]*fix: `),
	},
	{
		name: 'flag: --env-file with a missing file reaches netmigrate',
		category: 'crash-hang',
		setup: () => undefined,
		argv: ['plan', '--env-file', 'missing.env'],
		exit: 2,
		message: /missing\.env[^\n]*does not exist[\s\S]*fix: [^\n]*--env-file/,
	},
	{
		name: 'flag: --env-file=missing reaches netmigrate',
		category: 'crash-hang',
		setup: () => undefined,
		argv: ['plan', '--env-file=missing.env'],
		exit: 2,
		message: /missing\.env[^\n]*does not exist[\s\S]*fix: [^\n]*--env-file/,
	},
	{
		name: 'flag: --env-file before the command reaches netmigrate',
		category: 'crash-hang',
		setup: () => undefined,
		argv: ['--env-file', 'nowhere/x.env', 'plan'],
		exit: 2,
		message: /nowhere\/x\.env[^\n]*does not exist[\s\S]*fix: [^\n]*--env-file/,
	},
	{
		name: 'flag: --env-file with a real file is used for interpolation',
		category: 'crash-hang',
		setup: (stack) => {
			write(stack, 'prod.env', 'TZ=Asia/Tokyo\nSUBNETS_EXTRA=10.9.0.0/24\n');
			edit(stack, 'qbittorrent/docker-compose.yml', '      - TZ=${TZ}\n', '      - TZ=${TZ}\n      - TZ_SHOWN=tz-${TZ}\n');
		},
		argv: ['plan', '--env-file', 'prod.env'],
		exit: 0,
		message: /Iteration 1 of 3/,
	},
];

// ---------------------------------------------------------------- compose's verdict
const envCase = (name: string, text: string, what: string, line = 2): BadInput => ({
	name: `compose: .env ${name}`,
	category: 'compose-verdict',
	setup: (stack) => write(stack, '.env', `# settings\n${text}\nPUID=1000\n`),
	argv: ['plan'],
	exit: 2,
	message: new RegExp(`\\.env:${line}[^\\n]*${what}[\\s\\S]*fix: `, 'i'),
});

const composeCase = (name: string, file: string, from: string, to: string, what: string, argv = ['plan']): BadInput => ({
	name: `compose: ${name}`,
	category: 'compose-verdict',
	setup: (stack) => edit(stack, file, from, to),
	argv,
	exit: 2,
	message: at(file, what),
});

const compose: BadInput[] = [
	envCase('with an unterminated double quote', 'TZ="Europe/Berlin', 'unterminated'),
	envCase('with an unterminated single quote', "TZ='Europe/Berlin", 'unterminated'),
	envCase('with a multi-line quote never closed', 'NOTE="first line\nsecond line', 'unterminated'),
	envCase('with a key holding a space', 'MY VAR=1', 'MY VAR'),
	envCase('with a key holding a semicolon', 'A;B=1', 'A;B'),
	envCase('with a key holding a dollar', 'A$B=1', 'A\\$B'),
	envCase('with a line that is only a quote', '"', 'unexpected character|unterminated'),
	envCase('with invalid interpolation ${TZ', 'ZONE=${TZ', 'invalid interpolation'),
	envCase('with an empty ${} reference', 'ZONE=${}', 'invalid interpolation'),
	{
		name: 'compose: .env as a directory',
		category: 'compose-verdict',
		setup: (stack) => {
			rmSync(path.join(stack, '.env'));
			mkdirSync(path.join(stack, '.env'));
		},
		argv: ['plan'],
		exit: 2,
		message: named('.env', 'not a regular file'),
	},
	composeCase('invalid interpolation ${TZ in a compose file', web, '- TZ=${TZ}', '- TZ=${TZ', 'invalid interpolation'),
	composeCase('an empty ${} in a compose file', web, '- TZ=${TZ}', '- TZ=${}', 'invalid interpolation'),
	composeCase('a reference starting with a digit', web, '- TZ=${TZ}', '- TZ=${1TZ}', 'invalid interpolation'),
	composeCase('an unknown operator ${TZ:x}', web, '- TZ=${TZ}', '- TZ=${TZ:x}', 'invalid interpolation'),
	composeCase('a substitution ${TZ/a/b}', web, '- TZ=${TZ}', '- TZ=${TZ/a/b}', 'invalid interpolation'),
	composeCase(
		'invalid interpolation in a label',
		web,
		'    environment:\n',
		'    labels:\n      a.b: "${TZ"\n    environment:\n',
		'invalid interpolation',
	),
	composeCase('invalid interpolation in a network name', web, '    name: media-network', '    name: ${NET', 'invalid interpolation'),
	{
		name: 'compose: a Latin-1 compose file',
		category: 'compose-verdict',
		setup: (stack) =>
			write(
				stack,
				web,
				Buffer.concat([
					Buffer.from('# Caf'),
					Buffer.from([0xe9]),
					Buffer.from(` pour tous\n${readFileSync(path.join(stack, web), 'utf8')}`),
				]),
			),
		argv: ['plan'],
		exit: 2,
		message: at(web, 'UTF-8'),
	},
	{
		name: 'compose: a Latin-1 value in a compose file',
		category: 'compose-verdict',
		setup: (stack) =>
			write(
				stack,
				web,
				Buffer.from(readFileSync(path.join(stack, web), 'utf8').replace('- TZ=${TZ}', '- CITY=Z\u00fcrich'), 'latin1'),
			),
		argv: ['plan'],
		exit: 2,
		message: at(web, 'UTF-8'),
	},
	{
		name: 'compose: a Latin-1 plan file',
		category: 'compose-verdict',
		setup: (stack) =>
			write(stack, planFile, Buffer.from(`# Pl\u00e4ne\n${readFileSync(path.join(stack, planFile), 'utf8')}`, 'latin1')),
		argv: ['plan'],
		exit: 2,
		message: at(planFile, 'UTF-8'),
	},
	{
		name: 'compose: a Latin-1 .env',
		category: 'compose-verdict',
		setup: (stack) => write(stack, '.env', Buffer.from('TZ=Europe/Z\u00fcrich\nPUID=1000\n', 'latin1')),
		argv: ['plan'],
		exit: 2,
		message: at('.env', 'UTF-8'),
	},
	{
		name: 'compose: a UTF-16 compose file',
		category: 'compose-verdict',
		setup: (stack) =>
			write(
				stack,
				web,
				Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(readFileSync(path.join(stack, web), 'utf8'), 'utf16le')]),
			),
		argv: ['plan'],
		exit: 2,
		message: at(web, 'UTF-8'),
	},
	...[
		['bad;name', "'bad;name'"],
		['bad\nname', '"bad\\nname"'],
		['bad name', '"bad name"'],
		['a/b', '"a/b"'],
		['caf\u00e9', 'caf\u00e9'],
		['$x', "'$x'"],
		['x:y', '"x:y"'],
	].map(
		([name, key]): BadInput => ({
			name: `compose: a service named ${JSON.stringify(name)}`,
			category: 'compose-verdict',
			setup: (stack) => edit(stack, web, 'services:\n', `services:\n  ${key}:\n    image: netmigrate/busybox:1\n`),
			argv: ['plan'],
			exit: 2,
			message: at(web, 'service name'),
		}),
	),
	composeCase(
		'a service network entry carrying environment',
		web,
		'    networks:\n      - media-network\n',
		'    networks:\n      media-network:\n        environment:\n          A: b\n',
		'environment',
	),
	composeCase(
		'a service network entry with an unknown key',
		web,
		'    networks:\n      - media-network\n',
		'    networks:\n      media-network:\n        alias: web\n',
		'alias',
	),
	composeCase(
		'service network aliases given as a string',
		web,
		'    networks:\n      - media-network\n',
		'    networks:\n      media-network:\n        aliases: web\n',
		'aliases',
	),
	composeCase(
		'a network entry that is a list',
		web,
		'    networks:\n      - media-network\n',
		'    networks:\n      media-network: [a]\n',
		'media-network',
	),
	composeCase(
		'a top-level network carrying environment',
		web,
		'    name: media-network\n',
		'    name: media-network\n    environment:\n      A: b\n',
		'environment',
	),
	composeCase(
		'a subnet written on the network instead of under ipam',
		web,
		'    name: media-network\n',
		'    name: media-network\n    subnet: 172.18.0.0/16\n',
		'subnet',
	),
	composeCase(
		'ipam config given as a map',
		web,
		'      config:\n        - subnet: 172.18.0.0/16',
		'      config:\n        subnet: 172.18.0.0/16',
		'config',
	),
	composeCase(
		'an ipam config entry with an unknown key',
		web,
		'        - subnet: 172.18.0.0/16',
		'        - subnet: 172.18.0.0/16\n          subnets: 10.0.0.0/8',
		'subnets',
	),
	composeCase(
		'a misspelt networks key on a service',
		web,
		'    networks:\n      - media-network\n',
		'    netwroks:\n      - media-network\n',
		'netwroks',
	),
	composeCase('an unknown top-level key', web, 'networks:\n  media-network:', 'netwroks: {}\nnetworks:\n  media-network:', 'netwroks'),
	composeCase('environment given as a string', web, '    environment:\n      - TZ=${TZ}\n', '    environment: TZ=${TZ}\n', 'environment'),
	composeCase(
		'an environment value that is a map',
		web,
		'    environment:\n      - TZ=${TZ}\n',
		'    environment:\n      TZ: {zone: Berlin}\n',
		'TZ',
	),
	composeCase(
		'network_mode host with networks',
		web,
		'    networks:\n      - media-network\n',
		'    network_mode: host\n    networks:\n      - media-network\n',
		'network_mode',
	),
	composeCase(
		'a service on an undefined network',
		web,
		'    networks:\n      - media-network\n',
		'    networks:\n      - media-network\n      - nowhere-net\n',
		'nowhere-net',
	),
	composeCase('services given as a list', web, 'services:\n  web-ui:\n', 'services:\n  - web-ui:\n', 'services'),
	composeCase(
		'a service that is a string',
		web,
		'  web-ui:\n    image: netmigrate/busybox:1\n',
		'  other: busybox\n  web-ui:\n    image: netmigrate/busybox:1\n',
		'other',
	),
	composeCase(
		'networks given as a list',
		web,
		'networks:\n  media-network:\n    name: media-network\n    ipam:\n      config:\n        - subnet: 172.18.0.0/16',
		'networks:\n  - media-network',
		'networks',
	),
	{
		name: 'compose: network_mode service:ghost names the missing service and the fix',
		category: 'compose-verdict',
		setup: (stack) => edit(stack, 'qbittorrent/docker-compose.yml', 'network_mode: service:gluetun', 'network_mode: service:ghost'),
		argv: ['plan'],
		exit: 2,
		message:
			/qbittorrent\/docker-compose\.yml:\d+[^\n]*ghost[^\n]*(no such service|names no service|undefined service)[\s\S]*fix: (?![^\n]*attach ghost)/i,
	},
	{
		name: 'compose: depends_on a service that does not exist',
		category: 'compose-verdict',
		setup: (stack) =>
			edit(
				stack,
				'qbittorrent/docker-compose.yml',
				'      gluetun:\n        condition: service_healthy',
				'      ghost:\n        condition: service_healthy',
			),
		argv: ['plan'],
		exit: 2,
		message: at('qbittorrent/docker-compose.yml', 'ghost'),
	},
	{
		name: 'compose: an unset variable is warned about as compose does',
		category: 'compose-verdict',
		setup: (stack) => edit(stack, web, '- TZ=${TZ}', '- TZ=${TZ}\n      - EXTRA=${NOT_SET_ANYWHERE}'),
		argv: ['plan'],
		exit: 0,
		message: /The "NOT_SET_ANYWHERE" variable is not set\. Defaulting to a blank string\./,
	},
	{
		name: 'compose: a variable with a default is not warned about',
		category: 'compose-verdict',
		setup: (stack) => edit(stack, web, '- TZ=${TZ}', '- TZ=${TZ}\n      - EXTRA=${NOT_SET_ANYWHERE:-x}'),
		argv: ['plan'],
		exit: 0,
		message: /^(?![\s\S]*NOT_SET_ANYWHERE" variable is not set)[\s\S]*Iteration 1 of 3/,
	},
	{
		name: 'compose: a plan label value with $ is written escaped so compose reads it as written',
		category: 'compose-verdict',
		setup: (stack) =>
			edit(
				stack,
				planFile,
				'traefik: { traefik.docker.network: frontend-net }',
				"traefik: { traefik.docker.network: frontend-net, 'app.motto': 'pa$word${HOME}' }",
			),
		argv: ['plan', '--iteration', '2'],
		exit: 0,
		message: /app\.motto[^\n]*pa\$\$word\$\$\{HOME\}/,
	},
	{
		name: 'compose: -p with an upper-case project name',
		category: 'compose-verdict',
		setup: () => undefined,
		argv: ['plan', '-p', 'My_Stack'],
		exit: 2,
		message: named('-p', 'project name'),
	},
	{
		name: 'compose: a project name with a space in the plan',
		category: 'compose-verdict',
		setup: (stack) => edit(stack, planFile, 'project: media', 'project: "my media"'),
		argv: ['plan'],
		exit: 2,
		message: at(planFile, 'project name'),
	},
	{
		name: 'compose: a profile name with a space',
		category: 'compose-verdict',
		setup: () => undefined,
		argv: ['plan', '--profile', 'bad name'],
		exit: 2,
		message: named('--profile', 'bad name'),
	},
	{
		name: 'compose: the compose file is a scalar',
		category: 'compose-verdict',
		setup: (stack) => write(stack, web, '"just a string"\n'),
		argv: ['plan'],
		exit: 2,
		message: at(web, 'mapping'),
	},
	{
		name: 'compose: the root compose file is a list',
		category: 'compose-verdict',
		setup: (stack) => write(stack, 'docker-compose.yml', '- include\n- services\n'),
		argv: ['plan'],
		exit: 2,
		message: at('docker-compose.yml', 'mapping'),
	},
	{
		name: 'compose: stack.files names a text file',
		category: 'compose-verdict',
		setup: (stack) => {
			write(stack, 'notes.txt', 'some notes about the stack\n');
			edit(stack, planFile, 'files: [docker-compose.yml]', 'files: [notes.txt]');
		},
		argv: ['plan'],
		exit: 2,
		message: named('notes.txt', 'mapping'),
	},
	{
		name: 'compose: an empty compose file is included',
		category: 'compose-verdict',
		setup: (stack) => write(stack, web, ''),
		argv: ['plan'],
		exit: 2,
		message: named(web, 'empty'),
	},
];

// ---------------------------------------------------------------- vague messages: the command line
const badIteration = (value: string): BadInput => ({
	name: `flag: --iteration ${JSON.stringify(value)}`,
	category: 'vague',
	setup: () => undefined,
	argv: ['plan', '--iteration', value],
	exit: 2,
	message: named(`--iteration ${value}`, 'not an iteration number'),
});
const repeated = (argv: string[], flag: string): BadInput => ({
	name: `flag: ${argv.join(' ')} (repeated)`,
	category: 'vague',
	setup: () => undefined,
	argv,
	exit: 2,
	message: named(flag, 'given more than once|given twice'),
});
const extra = (argv: string[], word: string): BadInput => ({
	name: `flag: ${argv.join(' ')} (extra argument)`,
	category: 'vague',
	setup: () => undefined,
	argv,
	exit: 2,
	message: new RegExp(`unexpected argument "${escape(word)}"[\\s\\S]*fix: `),
});
const badHost = (host: string): BadInput => ({
	name: `flag: --host ${host}`,
	category: 'vague',
	setup: () => undefined,
	argv: ['plan', '--host', host],
	exit: 2,
	message: named(`--host`, 'not a Docker (engine|host) address'),
});

const commandLine: BadInput[] = [
	...['-1', '0x2', '1e0', '1.0', '+1', ' 1', '01', '0', 'abc', '', '2.', 'Infinity', '1_0', '٣'].map(badIteration),
	{
		name: 'flag: --iteration 99 (beyond the plan)',
		category: 'vague',
		setup: () => undefined,
		argv: ['plan', '--iteration', '99'],
		exit: 2,
		message: /no iteration 99[\s\S]*fix: /,
	},
	{
		name: 'flag: --iteration=-1',
		category: 'vague',
		setup: () => undefined,
		argv: ['plan', '--iteration=-1'],
		exit: 2,
		message: named('--iteration -1', 'not an iteration number'),
	},
	repeated(['plan', '--iteration', '1', '--iteration', '2'], '--iteration'),
	repeated(['plan', '--plan', 'netmigrate.yml', '--plan', 'other.yml'], '--plan'),
	repeated(['plan', '--host', 'unix:///a.sock', '--host', 'unix:///b.sock'], '--host'),
	repeated(['plan', '--mode', 'live', '--mode', 'recreate'], '--mode'),
	repeated(['plan', '--json', '--json'], '--json'),
	repeated(['plan', '-p', 'a', '--project-name', 'b'], '--project-name'),
	repeated(['rollback', '--on-conflict', 'stop', '--on-conflict', 'backup'], '--on-conflict'),
	repeated(['init', '--output', 'a.yml', '--output', 'b.yml'], '--output'),
	extra(['plan', 'now'], 'now'),
	extra(['plan', '2'], '2'),
	extra(['status', 'all'], 'all'),
	extra(['report', 'latest'], 'latest'),
	{
		name: 'flag: apply network-foundation (an iteration name where a saved plan goes)',
		category: 'vague',
		setup: () => undefined,
		argv: ['apply', 'network-foundation'],
		exit: 2,
		message: /there is no saved plan network-foundation[\s\S]*fix: `netmigrate plan --out FILE` saves a plan for `apply FILE`/,
	},
	extra(['apply', 'a.json', 'network-foundation'], 'network-foundation'),
	extra(['rollback', 'everything'], 'everything'),
	extra(['init', 'here'], 'here'),
	extra(['force-unlock', 'abc', 'def'], 'def'),
	{
		name: 'flag: an unknown command',
		category: 'vague',
		setup: () => undefined,
		argv: ['plna'],
		exit: 2,
		message: /unknown command plna[\s\S]*fix: [^\n]*plan/,
	},
	{
		name: 'flag: an unknown option',
		category: 'vague',
		setup: () => undefined,
		argv: ['plan', '--iterations', '1'],
		exit: 2,
		message: /unknown option --iterations[\s\S]*fix: [^\n]*--iteration\b/,
	},
	{
		name: 'flag: an unknown short option',
		category: 'vague',
		setup: () => undefined,
		argv: ['plan', '-x'],
		exit: 2,
		message: /unknown option -x[\s\S]*fix: /,
	},
	{
		name: 'flag: --plan without its value',
		category: 'vague',
		setup: () => undefined,
		argv: ['plan', '--plan'],
		exit: 2,
		message: named('--plan', 'missing|value'),
	},
	{
		name: 'flag: --mode fast',
		category: 'vague',
		setup: () => undefined,
		argv: ['plan', '--mode', 'fast'],
		exit: 2,
		message: named('--mode fast', 'not a mode'),
	},
	{
		name: 'flag: --on-conflict yes',
		category: 'vague',
		setup: () => undefined,
		argv: ['rollback', '--on-conflict', 'yes'],
		exit: 2,
		message: named('--on-conflict yes', 'not a way'),
	},
	{
		name: 'flag: --preset flat',
		category: 'vague',
		setup: () => undefined,
		argv: ['init', '--preset', 'flat'],
		exit: 2,
		message: named('--preset flat', 'not a preset'),
	},
	{
		name: 'flag: --json given a value',
		category: 'vague',
		setup: () => undefined,
		argv: ['plan', '--json=false'],
		exit: 2,
		message: named('--json', 'takes no value'),
	},
	{
		name: 'flag: --plan names a missing file',
		category: 'vague',
		setup: () => undefined,
		argv: ['plan', '--plan', 'nope.yml'],
		exit: 2,
		message: named('nope.yml', 'no plan file'),
	},
	{
		name: 'flag: --plan is empty',
		category: 'vague',
		setup: () => undefined,
		argv: ['plan', '--plan', ''],
		exit: 2,
		message: named('--plan', 'empty|not a regular file'),
	},
	badHost('tcp://256.1.1.1:99999'),
	badHost('tcp://127.0.0.1:99999'),
	badHost('tcp://'),
	badHost('foo'),
	badHost('ftp://example.com'),
	badHost('unix://'),
	badHost('tcp://[::1'),
	badHost('ssh://'),
	{
		name: 'flag: init --output into a missing folder',
		category: 'vague',
		setup: () => undefined,
		argv: ['init', '--output', 'missing/folder/plan.yml'],
		exit: 2,
		message: named('--output', 'missing/folder'),
	},
	{
		name: 'flag: init --output onto a directory',
		category: 'vague',
		setup: () => undefined,
		argv: ['init', '--output', 'traefik', '--force'],
		exit: 2,
		message: named('--output', 'traefik'),
	},
	{
		name: 'flag: init --tiers with a missing file',
		category: 'vague',
		setup: () => undefined,
		argv: ['init', '--tiers', 'missing-tiers.yml', '--output', 'draft.yml'],
		exit: 2,
		message: named('--tiers', 'missing-tiers\\.yml'),
	},
	{
		name: 'flag: init --tiers with invalid YAML',
		category: 'vague',
		setup: (stack) => write(stack, 'tiers.yml', 'jellyfin: [frontend\n  bad: : :\n'),
		argv: ['init', '--tiers', 'tiers.yml', '--output', 'draft.yml'],
		exit: 2,
		message: named('tiers.yml', 'YAML'),
	},
	{
		name: 'flag: init --tiers that is a list',
		category: 'vague',
		setup: (stack) => write(stack, 'tiers.yml', '- frontend\n- backend\n'),
		argv: ['init', '--tiers', 'tiers.yml', '--output', 'draft.yml'],
		exit: 2,
		message: named('tiers.yml', 'mapping|table'),
	},
	{
		name: 'flag: init --stack naming a missing folder',
		category: 'vague',
		setup: () => undefined,
		argv: ['init', '--stack', 'no-such-folder', '--output', 'draft.yml'],
		exit: 2,
		message: named('no-such-folder', 'exist|no compose file'),
	},
	{
		name: 'flag: init -f naming a missing file',
		category: 'vague',
		setup: () => undefined,
		argv: ['init', '-f', 'nope.yml', '--output', 'draft.yml'],
		exit: 2,
		message: named('nope.yml', 'does not exist'),
	},
	{
		name: 'flag: init --group without =',
		category: 'vague',
		setup: () => undefined,
		argv: ['init', '--preset', 'per-app', '--group', 'media', '--output', 'draft.yml'],
		exit: 2,
		message: named('--group', 'media'),
	},
];

// ---------------------------------------------------------------- vague messages: files and folders
const files: BadInput[] = [
	{
		name: 'vague: .netmigrate is a file (status)',
		category: 'vague',
		setup: (stack) => write(stack, '.netmigrate', 'not a folder\n'),
		argv: ['status'],
		exit: 2,
		message: named('.netmigrate', 'not a folder'),
	},
	{
		name: 'vague: .netmigrate is a file (rollback)',
		category: 'vague',
		setup: (stack) => write(stack, '.netmigrate', 'not a folder\n'),
		argv: ['rollback', '--yes'],
		exit: 2,
		message: named('.netmigrate', 'not a folder'),
	},
	{
		name: 'vague: .netmigrate is a file (force-unlock)',
		category: 'vague',
		setup: (stack) => write(stack, '.netmigrate', 'not a folder\n'),
		argv: ['force-unlock', 'abc'],
		exit: 2,
		message: named('.netmigrate', 'not a folder'),
	},
	{
		name: 'vague: .netmigrate is a file (report)',
		category: 'vague',
		setup: (stack) => write(stack, '.netmigrate', 'not a folder\n'),
		argv: ['report'],
		exit: 2,
		message: named('.netmigrate', 'not a folder'),
	},
	{
		name: 'vague: lock.json is a directory (force-unlock)',
		category: 'vague',
		setup: (stack) => mkdirSync(path.join(stack, '.netmigrate/lock.json'), {recursive: true}),
		argv: ['force-unlock', 'abc'],
		exit: 2,
		message: named('lock.json', 'is a folder'),
	},
	{
		name: 'vague: the plan file is a scalar',
		category: 'vague',
		setup: (stack) => write(stack, planFile, 'just some text\n'),
		argv: ['plan'],
		exit: 2,
		message: at(planFile, 'mapping'),
	},
	{
		name: 'vague: the plan file is a list',
		category: 'vague',
		setup: (stack) => write(stack, planFile, '- version: 1\n'),
		argv: ['plan'],
		exit: 2,
		message: at(planFile, 'mapping'),
	},
	{
		name: 'vague: the plan file is empty',
		category: 'vague',
		setup: (stack) => write(stack, planFile, ''),
		argv: ['plan'],
		exit: 2,
		message: named(planFile, 'empty|missing'),
	},
	{
		name: 'vague: the plan file has a NUL byte',
		category: 'vague',
		setup: (stack) => write(stack, planFile, `${readFileSync(path.join(stack, planFile), 'utf8')}\0\n`),
		argv: ['plan'],
		exit: 2,
		message: at(planFile, ''),
	},
	{
		name: 'vague: the compose file is a scalar',
		category: 'vague',
		setup: (stack) => write(stack, 'traefik/docker-compose.yml', 'traefik\n'),
		argv: ['plan'],
		exit: 2,
		message: at('traefik/docker-compose.yml', 'mapping'),
	},
	{
		name: 'vague: a service that is null',
		category: 'vague',
		setup: (stack) => edit(stack, web, 'services:\n', 'services:\n  empty-one:\n'),
		argv: ['plan'],
		exit: 2,
		message: at(web, 'empty-one'),
	},
	{
		name: 'vague: the plan names a .env that is a directory through --env-file',
		category: 'vague',
		setup: (stack) => mkdirSync(path.join(stack, 'envdir')),
		argv: ['plan', '--env-file', 'envdir'],
		exit: 2,
		message: named('envdir', 'not a regular file'),
	},
];

export const inputCases: BadInput[] = [...secrets, ...crashHang, ...compose, ...commandLine, ...files];
