/**
 * What every kind of action must say about itself, apart from applying it: its inverse, the line
 * an operator reads, what it does to the engine's picture in a dry run, its sign in the dry run's
 * list, which object it touches (so two never touch one at once) and where its inverse goes in a
 * rollback. Pure: a kind's rules import no engine code, so the plan layer and the journal may use
 * them. Applying a kind is the other half (`Applier`, in source/kinds/applier.ts), kept apart
 * because it needs the engine. The table in source/actions.ts holds one of these per kind.
 */
import type {ComposeModel} from '../compose/model.js';
import type {Discovered} from '../domain.js';

/** `+` adds to the host, `-` takes away, `~` changes in place: the mark before the action in a dry run. */
export type DryRunSign = '+' | '-' | '~';

/**
 * Rollback phases, in the order a rollback applies inverses. Files first: a recreate must see the
 * restored definitions. Then networks it needs, live network and swarm changes, the recreates, and
 * last removals of the networks netmigrate created — only an empty one can go.
 */
export const rollbackPhases = ['files', 'networks', 'live', 'recreates', 'removals'] as const;
export type RollbackPhase = (typeof rollbackPhases)[number];

/** `Back`: what the inverse is (another kind, or the same one with the values swapped). */
export type Kind<A extends {kind: string}, Back extends {kind: string} = A> = {
	inverse: (action: A) => Back;
	/** One line an operator reads in a plan, a log or the journal viewer; file paths relative to `root` when given. */
	describe: (action: A, root?: string) => string;
	/** Its effect on the picture (a copy the caller owns): `files`, the compose project as the file writes leave it. */
	simulate: (picture: Discovered, action: A, files?: ComposeModel) => void;
	sign: DryRunSign;
	/** The object it touches when it may run beside others of its kind (`container:traefik`); undefined: it runs alone, in order. */
	concurrencyKey: (action: A) => string | undefined;
	rollbackPhase: RollbackPhase;
	/**
	 * A resumed run journals an interrupted action's intent again; what to record given the first
	 * intent. Absent: the new intent as it is.
	 */
	replayed?: (first: A, again: A) => A;
};

/** A kind whose action changes nothing in the picture (a file write: the files' new texts travel beside it). */
export const leavesPicture = (): void => undefined;
