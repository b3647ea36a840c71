/**
 * `file.write`: a whole file written atomically, keeping its mode and owner. Its inverse writes the
 * previous contents back. First in a rollback: a recreate must see the restored definitions. It
 * changes no part of the engine's picture — the files' new texts travel beside it.
 */
import {leavesPicture, type Kind} from './kind.js';

/** `sha256Before`/`sha256After` are the sha256 of the contents it replaces and writes. */
export type FileWrite = {
	kind: 'file.write';
	path: string;
	mode: number;
	sha256Before: string;
	sha256After: string;
	/** The new contents (stored in the 0600 journal; shown only masked). */
	content: string;
	/** The contents it replaces, so the inverse is a write too. */
	previous: string;
	/** Why: "networks of traefik, jellyfin", "FIREWALL_OUTBOUND_SUBNETS of gluetun". */
	reason: string;
};

export const fileWrite: Kind<FileWrite> = {
	inverse: (action) => ({
		...action,
		sha256Before: action.sha256After,
		sha256After: action.sha256Before,
		content: action.previous,
		previous: action.content,
		reason: `restore ${action.reason}`,
	}),
	describe: (action, root) =>
		`write ${root && action.path.startsWith(`${root}/`) ? action.path.slice(root.length + 1) : action.path} (${action.reason})`,
	simulate: leavesPicture,
	sign: '~',
	concurrencyKey: () => undefined,
	rollbackPhase: 'files',
};
