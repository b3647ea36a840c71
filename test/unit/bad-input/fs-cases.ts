/**
 * Bad inputs for the state folder and the files netmigrate writes (issue 26: "nothing written
 * outside the stack", "state that is damaged", "the race left in the write path"), as data:
 * links where the state folder or one of its files should be, hard links to files outside, a
 * damaged progress.json, lock.json or journal, leftovers of a crash mid-write, init writing
 * through a link. Each names what the operator did, the command run, and what they must be told.
 * Run with no engine: commands that get past these checks stop at the engine check (exit 4), and
 * the runner proves nothing was written outside `.netmigrate/` before that.
 */
import {linkSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import type {BadInput} from '../../harness/bad-input.js';

const engineDown = /the Docker engine is not answering[\s\S]*fix:/;
const refusedLink = (name: string) => new RegExp(`${name.replaceAll('.', '\\.')} is a symbolic link[\\s\\S]*fix: remove the link`);
const refusedHardLink = (name: string) => new RegExp(`${name.replaceAll('.', '\\.')} has \\d+ names \\(hard links\\)[\\s\\S]*fix:`);
const iterations = ['network-foundation', 'port-consolidation', 'retire-legacy'];

function state(stack: string, ...parts: string[]): string {
	const folder = path.join(stack, '.netmigrate');
	mkdirSync(folder, {recursive: true, mode: 0o700});
	return path.join(folder, ...parts);
}

/** A progress record as apply writes it, for one iteration that ran its backup. */
function record(name: string): Record<string, unknown> {
	return {
		name,
		index: iterations.indexOf(name),
		status: 'failed',
		mode: 'live',
		operator: 'ops',
		toolVersion: '0.1.0',
		startedAt: '2026-12-01T10:00:00.000Z',
		journalStart: 0,
		steps: {preflight: {status: 'done'}, backup: {status: 'done'}, networks: {status: 'failed', error: 'the engine went away'}},
	};
}

function progress(stack: string, content: unknown): void {
	writeFileSync(state(stack, 'progress.json'), typeof content === 'string' ? content : JSON.stringify(content), {mode: 0o600});
}

function journalLine(seq: number, extra: Record<string, unknown> = {}): string {
	return JSON.stringify({
		seq,
		at: '2026-12-01T10:00:00.000Z',
		run: 'apply',
		iteration: 'network-foundation',
		step: 'networks',
		id: `networks-${seq}`,
		phase: 'planned',
		actions: [],
		...extra,
	});
}

const runs: Array<{argv: string[]; label: string}> = [
	{argv: ['apply', '--yes'], label: 'apply'},
	{argv: ['rollback', '--yes', '--iteration', '1'], label: 'rollback'},
	{argv: ['settle', '--yes'], label: 'settle'},
	{argv: ['status'], label: 'status'},
];

/** A link where the state folder should be, for every command that opens it. */
const stateFolderLinks: BadInput[] = runs.flatMap(({argv, label}) => [
	{
		name: `.netmigrate is a link to a folder outside the stack (${label})`,
		category: 'outside-stack' as const,
		setup: (stack: string, decoy: string) => symlinkSync(decoy, path.join(stack, '.netmigrate')),
		argv,
		exit: 2,
		message: refusedLink('.netmigrate'),
	},
	{
		name: `.netmigrate is a link to a private folder outside the stack, mode 0750 (${label})`,
		category: 'outside-stack' as const,
		setup: (stack: string, decoy: string) => symlinkSync(path.join(decoy, 'private'), path.join(stack, '.netmigrate')),
		argv,
		exit: 2,
		message: refusedLink('.netmigrate'),
	},
]);

const moreStateFolderLinks: BadInput[] = [
	{
		name: '.netmigrate is a dangling link to a folder that does not exist yet (apply)',
		category: 'outside-stack',
		setup: (stack, decoy) => symlinkSync(path.join(decoy, 'not-yet'), path.join(stack, '.netmigrate')),
		argv: ['apply', '--yes'],
		exit: 2,
		message: refusedLink('.netmigrate'),
	},
	{
		name: '.netmigrate is a relative link ../decoy (apply)',
		category: 'outside-stack',
		setup: (stack) => symlinkSync('../decoy', path.join(stack, '.netmigrate')),
		argv: ['apply', '--yes'],
		exit: 2,
		message: refusedLink('.netmigrate'),
	},
	{
		name: '.netmigrate is a link to the stack folder itself (apply)',
		category: 'outside-stack',
		setup: (stack) => symlinkSync('.', path.join(stack, '.netmigrate')),
		argv: ['apply', '--yes'],
		exit: 2,
		message: refusedLink('.netmigrate'),
	},
	{
		name: '.netmigrate is a link to a folder outside the stack (report)',
		category: 'outside-stack',
		setup: (stack, decoy) => symlinkSync(decoy, path.join(stack, '.netmigrate')),
		argv: ['report', '--iteration', '1'],
		exit: 2,
		message: refusedLink('.netmigrate'),
	},
	{
		name: '.netmigrate is a link to a folder outside the stack (force-unlock)',
		category: 'outside-stack',
		setup: (stack, decoy) => symlinkSync(decoy, path.join(stack, '.netmigrate')),
		argv: ['force-unlock', 'abcd1234'],
		exit: 2,
		message: refusedLink('.netmigrate'),
	},
];

/** A link where one of the state folder's entries should be: refused before anything is written. */
const entryLinks: Array<{entry: string; toFolder: boolean; argv: string[]}> = [
	{entry: 'backups', toFolder: true, argv: ['apply', '--yes']},
	{entry: 'reports', toFolder: true, argv: ['apply', '--yes']},
	{entry: 'probes', toFolder: true, argv: ['apply', '--yes']},
	{entry: 'drift', toFolder: true, argv: ['rollback', '--yes', '--iteration', '1', '--on-conflict', 'backup']},
	{entry: 'journal.jsonl', toFolder: false, argv: ['apply', '--yes']},
	{entry: 'journal.jsonl', toFolder: false, argv: ['rollback', '--yes', '--iteration', '1']},
	{entry: 'lock.json', toFolder: false, argv: ['apply', '--yes']},
	{entry: 'lock.json', toFolder: false, argv: ['status']},
	{entry: 'progress.json', toFolder: false, argv: ['apply', '--yes']},
	{entry: 'progress.json', toFolder: false, argv: ['status']},
	{entry: '.gitignore', toFolder: false, argv: ['apply', '--yes']},
];

const stateEntryLinks: BadInput[] = entryLinks.flatMap(({entry, toFolder, argv}) => [
	{
		name: `.netmigrate/${entry} is a link to ${toFolder ? 'a folder' : 'a secrets file'} outside the stack (${argv[0]})`,
		category: 'outside-stack' as const,
		setup: (stack: string, decoy: string) =>
			symlinkSync(toFolder ? path.join(decoy, 'private') : path.join(decoy, 'secret.env'), state(stack, entry)),
		argv,
		exit: 2,
		message: refusedLink(entry),
	},
	{
		name: `.netmigrate/${entry} is a dangling link to a path outside the stack (${argv[0]})`,
		category: 'outside-stack' as const,
		setup: (stack: string, decoy: string) => symlinkSync(path.join(decoy, `new-${entry}`), state(stack, entry)),
		argv,
		exit: 2,
		message: refusedLink(entry),
	},
]);

const deepLinks: BadInput[] = [
	{
		name: 'an earlier backup folder is a link to a folder outside the stack (apply)',
		category: 'outside-stack',
		setup: (stack, decoy) => {
			mkdirSync(state(stack, 'backups'), {mode: 0o700});
			symlinkSync(path.join(decoy, 'private'), state(stack, 'backups', 'network-foundation'));
		},
		argv: ['apply', '--yes'],
		exit: 2,
		message: refusedLink('network-foundation'),
	},
	{
		name: "a backup's files/ folder is a link outside the stack (rollback)",
		category: 'outside-stack',
		setup: (stack, decoy) => {
			mkdirSync(state(stack, 'backups', 'network-foundation'), {recursive: true, mode: 0o700});
			symlinkSync(path.join(decoy, 'private'), state(stack, 'backups', 'network-foundation', 'files'));
		},
		argv: ['rollback', '--yes', '--iteration', '1'],
		exit: 2,
		message: refusedLink('files'),
	},
	{
		name: 'a report is a link to a secrets file outside the stack (apply)',
		category: 'outside-stack',
		setup: (stack, decoy) => {
			mkdirSync(state(stack, 'reports'), {mode: 0o700});
			symlinkSync(path.join(decoy, 'secret.env'), state(stack, 'reports', 'network-foundation.md'));
		},
		argv: ['apply', '--yes'],
		exit: 2,
		message: refusedLink('network-foundation.md'),
	},
];

const hardLinks: BadInput[] = ['journal.jsonl', 'progress.json'].map((entry) => ({
	name: `.netmigrate/${entry} is a hard link to a file outside the stack (apply)`,
	category: 'outside-stack' as const,
	setup: (stack: string, decoy: string) => linkSync(path.join(decoy, 'secret.env'), state(stack, entry)),
	argv: ['apply', '--yes'],
	exit: 2,
	message: refusedHardLink(entry),
}));

/** Links among the stack's own files: read where they point, never replaced, nothing written before the engine check. */
hardLinks.push({
	name: '.netmigrate/lock.json is a hard link to a secrets file outside the stack: refused as damaged, its content not shown (apply)',
	category: 'outside-stack',
	setup: (stack, decoy) => linkSync(path.join(decoy, 'secret.env'), state(stack, 'lock.json')),
	argv: ['apply', '--yes'],
	exit: 3,
	message:
		/lock\.json is not a lock netmigrate wrote \(it holds \d+ bytes that are not JSON\)(?![\s\S]*S3CRET)[\s\S]*force-unlock [0-9a-f]{8}/,
});

const stackFileLinks: BadInput[] = [
	{
		name: 'the compose file is a link to a file outside the stack (plan reads through it)',
		category: 'outside-stack',
		setup: (stack, decoy) => {
			rmSync(path.join(stack, 'docker-compose.yml'));
			symlinkSync(path.join(decoy, 'compose-target.yml'), path.join(stack, 'docker-compose.yml'));
		},
		argv: ['plan'],
		exit: 0,
		message: /network-foundation/,
	},
	{
		name: 'the compose file is a link to a file outside the stack (apply stops at the engine, nothing written)',
		category: 'outside-stack',
		setup: (stack, decoy) => {
			rmSync(path.join(stack, 'docker-compose.yml'));
			symlinkSync(path.join(decoy, 'compose-target.yml'), path.join(stack, 'docker-compose.yml'));
		},
		argv: ['apply', '--yes'],
		exit: 4,
		message: engineDown,
	},
	{
		name: '.env is a link to a secrets file outside the stack (plan)',
		category: 'outside-stack',
		setup: (stack, decoy) => {
			writeFileSync(path.join(decoy, 'shared.env'), '# shared by several stacks\nTZ=Etc/UTC\n');
			rmSync(path.join(stack, '.env'));
			symlinkSync(path.join(decoy, 'shared.env'), path.join(stack, '.env'));
		},
		argv: ['plan'],
		exit: 0,
		message: /network-foundation/,
	},
	{
		name: 'an included compose file is a relative link inside the stack (plan --detailed-exitcode)',
		category: 'outside-stack',
		setup: (stack) => {
			renameSync(path.join(stack, 'traefik', 'docker-compose.yml'), path.join(stack, 'traefik', 'compose.real.yml'));
			symlinkSync('compose.real.yml', path.join(stack, 'traefik', 'docker-compose.yml'));
		},
		argv: ['plan', '--detailed-exitcode'],
		exit: 2,
		message: /network-foundation/,
	},
];

/** `init` never writes through a link named like the plan. */
const initLinks: BadInput[] = [
	{
		name: 'netmigrate.yml is a dangling link to a path outside the stack (init)',
		category: 'outside-stack',
		setup: (stack, decoy) => {
			rmSync(path.join(stack, 'netmigrate.yml'));
			symlinkSync(path.join(decoy, 'planted.yml'), path.join(stack, 'netmigrate.yml'));
		},
		argv: ['init'],
		exit: 2,
		message: refusedLink('netmigrate.yml'),
	},
	{
		name: 'netmigrate.yml is a link to a file outside the stack (init --force)',
		category: 'outside-stack',
		setup: (stack, decoy) => {
			rmSync(path.join(stack, 'netmigrate.yml'));
			symlinkSync(path.join(decoy, 'secret.env'), path.join(stack, 'netmigrate.yml'));
		},
		argv: ['init', '--force'],
		exit: 2,
		message: refusedLink('netmigrate.yml'),
	},
	{
		name: 'netmigrate.yml is a link to a file outside the stack (init without --force)',
		category: 'outside-stack',
		setup: (stack, decoy) => {
			rmSync(path.join(stack, 'netmigrate.yml'));
			symlinkSync(path.join(decoy, 'secret.env'), path.join(stack, 'netmigrate.yml'));
		},
		argv: ['init'],
		exit: 2,
		message: /netmigrate\.yml[\s\S]*fix:/,
	},
	{
		name: 'init --output names a dangling link to a path outside the stack',
		category: 'outside-stack',
		setup: (stack, decoy) => symlinkSync(path.join(decoy, 'planted.yml'), path.join(stack, 'draft.yml')),
		argv: ['init', '--output', 'draft.yml'],
		exit: 2,
		message: refusedLink('draft.yml'),
	},
	{
		name: "init --output --force names a link to a folder's file outside the stack",
		category: 'outside-stack',
		setup: (stack, decoy) => symlinkSync(path.join(decoy, 'private', 'notes.txt'), path.join(stack, 'draft.yml')),
		argv: ['init', '--output', 'draft.yml', '--force'],
		exit: 2,
		message: refusedLink('draft.yml'),
	},
];

const damagedProgress = /progress\.json[\s\S]*fix:/;
const progressCases: Array<{name: string; content: unknown; mention?: RegExp}> = [
	{
		name: "an iteration's record is null",
		content: {iterations: {'network-foundation': null}},
		mention: /progress\.json[\s\S]*network-foundation[\s\S]*fix:/,
	},
	{
		name: 'a record without steps',
		content: {iterations: {'network-foundation': (({steps: _steps, ...rest}) => rest)(record('network-foundation'))}},
		mention: /progress\.json[\s\S]*network-foundation[\s\S]*steps[\s\S]*fix:/,
	},
	{
		name: 'a record whose status is not one netmigrate writes',
		content: {iterations: {'network-foundation': {...record('network-foundation'), status: 'half-done'}}},
		mention: /progress\.json[\s\S]*status[\s\S]*fix:/,
	},
	{
		name: 'a step record is null',
		content: {iterations: {'network-foundation': {...record('network-foundation'), steps: {backup: null}}}},
		mention: /progress\.json[\s\S]*backup[\s\S]*fix:/,
	},
	{name: 'iterations is a list', content: {iterations: [record('network-foundation')]}},
	{name: 'iterations is a string', content: {iterations: 'network-foundation'}},
	{name: 'the file holds JSON null', content: 'null'},
	{name: 'the file holds a list', content: '[]'},
	{name: 'the file is empty', content: ''},
	{
		name: 'the file is cut off mid-record',
		content: JSON.stringify({iterations: {'network-foundation': record('network-foundation')}}).slice(0, 80),
	},
	{
		name: 'journalStart is a string',
		content: {iterations: {'network-foundation': {...record('network-foundation'), journalStart: 'zero'}}},
		mention: /progress\.json[\s\S]*journalStart[\s\S]*fix:/,
	},
	{
		name: "a record is filed under another iteration's name",
		content: {iterations: {'network-foundation': record('retire-legacy')}},
		mention: /progress\.json[\s\S]*retire-legacy[\s\S]*fix:/,
	},
];

const progressInputs: BadInput[] = progressCases.flatMap(({name, content, mention}) =>
	[['status'], ['apply', '--yes']].map((argv) => ({
		name: `progress.json: ${name} (${argv[0]})`,
		category: 'damaged-state' as const,
		setup: (stack: string) => progress(stack, content),
		argv,
		exit: 2,
		message: mention ?? damagedProgress,
	})),
);

const otherProgress: BadInput[] = [
	{
		name: 'progress.json is a folder (status)',
		category: 'damaged-state',
		setup: (stack) => mkdirSync(state(stack, 'progress.json'), {recursive: true}),
		argv: ['status'],
		exit: 2,
		message: /progress\.json is a folder, not a file[\s\S]*fix:/,
	},
	{
		name: 'progress.json readable by everyone, 0666 (apply tightens it, nothing else changes)',
		category: 'damaged-state',
		setup: (stack) => progress(stack, {iterations: {}}),
		argv: ['apply', '--yes'],
		exit: 4,
		message: engineDown,
	},
];

const damagedLock = /lock\.json is not a lock netmigrate wrote[\s\S]*force-unlock [0-9a-f]{8}/;
const lockContents: Array<{name: string; content: string}> = [
	{name: 'text that is not JSON', content: 'locked by bob, do not touch\n'},
	{name: 'an empty object', content: '{}\n'},
	{name: 'JSON null', content: 'null'},
	{name: 'an id but no pid', content: '{"id":"x1"}'},
	{name: 'an empty file', content: ''},
	{name: 'binary garbage', content: '\u0000\u0001\u00ff\u00fe'},
];

const lockInputs: BadInput[] = lockContents.flatMap(({name, content}) => [
	{
		name: `lock.json holds ${name}: apply refuses to take it over`,
		category: 'damaged-state' as const,
		setup: (stack: string) => writeFileSync(state(stack, 'lock.json'), content, {mode: 0o600}),
		argv: ['apply', '--yes'],
		exit: 3,
		message: damagedLock,
	},
	{
		name: `lock.json holds ${name}: status shows it`,
		category: 'damaged-state' as const,
		setup: (stack: string) => writeFileSync(state(stack, 'lock.json'), content, {mode: 0o600}),
		argv: ['status'],
		exit: 0,
		message: /lock\.json is damaged[\s\S]*force-unlock [0-9a-f]{8}/,
	},
]);

const otherLock: BadInput[] = [
	{
		name: 'lock.json is garbage and force-unlock is given a made-up id',
		category: 'damaged-state',
		setup: (stack) => writeFileSync(state(stack, 'lock.json'), 'garbage', {mode: 0o600}),
		argv: ['force-unlock', 'deadbeef'],
		exit: 2,
		message: /lock\.json is damaged[\s\S]*force-unlock [0-9a-f]{8}/,
	},
	{
		name: 'lock.json is a folder (apply)',
		category: 'damaged-state',
		setup: (stack) => mkdirSync(state(stack, 'lock.json'), {recursive: true}),
		argv: ['apply', '--yes'],
		exit: 2,
		message: /lock\.json is a folder, not a file[\s\S]*fix:/,
	},
];

const journalInputs: BadInput[] = [
	{
		name: 'the journal has a damaged line before its last entry (apply)',
		category: 'damaged-state',
		setup: (stack) =>
			writeFileSync(state(stack, 'journal.jsonl'), `${journalLine(1)}\n{"seq":2,"at":\n${journalLine(3)}\n`, {mode: 0o600}),
		argv: ['apply', '--yes'],
		exit: 2,
		message: /journal\.jsonl:2[\s\S]*damaged[\s\S]*fix:/,
	},
	{
		name: "the journal's last line is garbage followed by a newline: not a torn write (rollback)",
		category: 'damaged-state',
		setup: (stack) => {
			progress(stack, {iterations: {'network-foundation': record('network-foundation')}});
			writeFileSync(state(stack, 'journal.jsonl'), `${journalLine(1)}\nthis line was typed by hand\n`, {mode: 0o600});
		},
		argv: ['rollback', '--yes', '--iteration', '1'],
		exit: 2,
		message: /journal\.jsonl:2[\s\S]*damaged[\s\S]*fix:/,
	},
	{
		name: 'a journal line is JSON but not an entry (apply)',
		category: 'damaged-state',
		setup: (stack) => writeFileSync(state(stack, 'journal.jsonl'), `${journalLine(1)}\n[1,2,3]\n${journalLine(3)}\n`, {mode: 0o600}),
		argv: ['apply', '--yes'],
		exit: 2,
		message: /journal\.jsonl:2[\s\S]*fix:/,
	},
	{
		name: 'the journal is a folder (apply)',
		category: 'damaged-state',
		setup: (stack) => mkdirSync(state(stack, 'journal.jsonl'), {recursive: true}),
		argv: ['apply', '--yes'],
		exit: 2,
		message: /journal\.jsonl is a folder, not a file[\s\S]*fix:/,
	},
	{
		name: "the journal's last entry is complete but lacks its newline (an editor saved it so): kept",
		category: 'damaged-state',
		setup: (stack) => writeFileSync(state(stack, 'journal.jsonl'), `${journalLine(1)}\n${journalLine(2)}`, {mode: 0o600}),
		argv: ['apply', '--yes'],
		exit: 4,
		message: engineDown,
	},
	{
		name: 'the journal ends in a torn write (power lost mid-line): cut, run goes on',
		category: 'damaged-state',
		setup: (stack) => writeFileSync(state(stack, 'journal.jsonl'), `${journalLine(1)}\n${journalLine(2).slice(0, 30)}`, {mode: 0o600}),
		argv: ['apply', '--yes'],
		exit: 4,
		message: engineDown,
	},
];

/** Leftovers of a run killed mid-write: ignored or cleaned, never mistaken for the stack's files. */
const raceInputs: BadInput[] = [
	{
		name: 'a temp file of a killed atomic write sits beside the compose file (plan)',
		category: 'race',
		setup: (stack) => writeFileSync(path.join(stack, '.docker-compose.yml.netmigrate-1a2b3c4d'), 'services: {half: {image: x}}\n'),
		argv: ['plan'],
		exit: 0,
		message: /network-foundation/,
	},
	{
		name: 'a stale lock takeover claim with no lock left (apply goes on to the engine)',
		category: 'race',
		setup: (stack) => writeFileSync(state(stack, 'lock.json.stale-0123456789ab'), '{"id":"old"}\n', {mode: 0o600}),
		argv: ['apply', '--yes'],
		exit: 4,
		message: engineDown,
	},
	{
		name: 'a lock draft of a run killed before it placed it (apply goes on to the engine)',
		category: 'race',
		setup: (stack) => writeFileSync(state(stack, 'lock.json.new-0badf00d'), '{"id":"0badf00d"}\n', {mode: 0o600}),
		argv: ['apply', '--yes'],
		exit: 4,
		message: engineDown,
	},
	{
		name: 'a progress temp file of a killed save (status reads the saved progress)',
		category: 'race',
		setup: (stack) => {
			progress(stack, {iterations: {}});
			writeFileSync(state(stack, '.progress.json.netmigrate-00ff00ff'), '{"iter', {mode: 0o600});
		},
		argv: ['status'],
		exit: 0,
		message: /network-foundation\s+pending/,
	},
	{
		name: 'a replaced-content copy left by a detected concurrent save (status)',
		category: 'race',
		setup: (stack) => {
			mkdirSync(state(stack, 'replaced', 'network-foundation'), {recursive: true, mode: 0o700});
			writeFileSync(state(stack, 'replaced', 'network-foundation', 'docker-compose.yml.2026-12-01T10-00-00.000Z'), 'services: {}\n', {
				mode: 0o600,
			});
		},
		argv: ['status'],
		exit: 0,
		message: /network-foundation\s+pending/,
	},
	{
		name: 'the replaced-content folder is a link outside the stack (apply)',
		category: 'race',
		setup: (stack, decoy) => symlinkSync(path.join(decoy, 'private'), state(stack, 'replaced')),
		argv: ['apply', '--yes'],
		exit: 2,
		message: refusedLink('replaced'),
	},
];

export const cases: BadInput[] = [
	...stateFolderLinks,
	...moreStateFolderLinks,
	...stateEntryLinks,
	...deepLinks,
	...hardLinks,
	...stackFileLinks,
	...initLinks,
	...progressInputs,
	...otherProgress,
	...lockInputs,
	...otherLock,
	...journalInputs,
	...raceInputs,
];
