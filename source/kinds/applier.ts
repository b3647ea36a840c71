/**
 * The applying half of a kind (`<kind>.apply.ts`): how the executor makes the change on the host.
 * Kept apart from the pure half (`Kind`, source/kinds/kind.ts) because it needs the engine, which
 * the plan layer, the journal and the UI must not load. Every `apply` is idempotent: applied again
 * after a crash it sees the work already done and returns false.
 */
import type {HealthBaseline, RunKind} from '../domain.js';
import type {ComposeProject} from '../engine/compose.js';
import type {Engine} from '../engine/docker.js';
import type {AddressesToKeep} from '../engine/keep-addresses.js';
import type {Emit} from '../events.js';
import type {KeepReplaced} from '../file-write.js';

/** What applying one action needs: where, and — for its hints and its health gate — in which direction and against what start. */
export type ApplyContext = {
	engine: Engine;
	compose: ComposeProject;
	run?: RunKind;
	/** The containers' state when the iteration began, which a recreate's health gate judges against (source/health-gate.ts). */
	baseline?: () => HealthBaseline | undefined;
	emit?: Emit;
	/** Keeps what a file held when an operator's save raced netmigrate's write of it (source/file-write.ts). */
	keepReplaced?: KeepReplaced;
	/** The addresses recreated and reconnected containers keep (source/engine/keep-addresses.ts), read when needed. */
	keepAddresses?: () => AddressesToKeep | undefined;
};

/** An applier's context: the run's direction always said (an apply unless told). */
export type Applying = ApplyContext & {run: RunKind};

/** Whether the action changed anything; a swarm update also how long its service was down. */
export type Applied = boolean | {changed: true; downtimeMs: number};

export type Applier<A> = {
	/** Applies the action unless the engine or the file already shows it done; false when there was nothing to do. */
	apply: (action: A, context: Applying) => Promise<Applied>;
	/** What the journal's intent records of the action, read just before it acts. Absent: the action as planned. */
	record?: (action: A, context: Applying) => Promise<A>;
	/**
	 * A resumed action whose intent (journaled at `intentAt`) has no outcome: whether the killed run
	 * already finished it, so it is not done twice. Absent: it is applied again (idempotently).
	 */
	finishedSince?: (action: A, context: Applying, intentAt: string) => Promise<boolean>;
};
