import { createSourceEventStream, type DocumentNode, type ExecutionArgs, type ExecutionResult, execute } from "graphql";
import type { Plugin } from "graphql-yoga";
import type { Context } from "./context.js";

/** One execution of an event for one operation, and whether it read who was asking. */
type Outcome = { result: ExecutionResult; readViewer: boolean };

/** The executions of one event, per operation (document, operation name, variables). */
type SharedExecution = { first: Promise<Outcome>; firstViewer: string; byViewer: Map<string, Promise<ExecutionResult>> };

type Subscriber = { args: ExecutionArgs; operationKey: string; viewerKey: string };

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === "object" && value !== null && Symbol.asyncIterator in value;

/**
 * Subscriptions to one process receive the very same event object from the bus, and a screen
 * watched by many clients sends them all the same operation. Executing that operation once per
 * event and handing the result to every such subscriber saves the execution (and its database
 * reads, such as `process { … }`) for all but the first.
 *
 * A result is shared between different viewers only when its execution never read the viewer
 * (`context.viewer` or `context.authError`): nothing under `processUpdated` does today, since
 * visibility is checked once, when the subscription starts. A result that did read it is shared
 * only with subscribers of the same identity; the others execute on their own.
 *
 * Each subscriber keeps its own event stream (its replay position, its order, its buffer); only
 * the execution of an event that several of them received is shared. Events read from the log
 * for one subscriber are their own objects, so they are executed for that subscriber alone.
 */
export function useSharedSubscriptionExecution(): Plugin<Context> {
  const executions = new WeakMap<object, Map<string, SharedExecution>>();
  const documentIds = new WeakMap<DocumentNode, number>();
  let nextDocumentId = 0;
  const viewerKeys = new WeakMap<object, string>();

  const documentId = (document: DocumentNode) => {
    let id = documentIds.get(document);
    if (id === undefined) {
      id = nextDocumentId++;
      documentIds.set(document, id);
    }
    return id;
  };

  /** Who is asking, as a string: viewers come frozen from the token cache, so it is made once. */
  const viewerKeyOf = (context: Context) => {
    if (!context.viewer) return JSON.stringify([null, context.authError]);
    let key = viewerKeys.get(context.viewer);
    if (key === undefined) {
      key = JSON.stringify(context.viewer);
      viewerKeys.set(context.viewer, key);
    }
    return key;
  };

  function executeFor(subscriber: Subscriber, event: unknown): Promise<ExecutionResult> {
    return Promise.resolve(execute({ ...subscriber.args, rootValue: event }));
  }

  /** Executes with a context that notes whether a resolver asked who the viewer is. */
  async function executeObserved(subscriber: Subscriber, event: unknown): Promise<Outcome> {
    const context = subscriber.args.contextValue as Context;
    let readViewer = false;
    const observed = Object.create(context, {
      viewer: {
        get: () => {
          readViewer = true;
          return context.viewer;
        },
      },
      authError: {
        get: () => {
          readViewer = true;
          return context.authError;
        },
      },
    }) as Context;
    const result = await execute({ ...subscriber.args, contextValue: observed, rootValue: event });
    return { result, readViewer };
  }

  function resultFor(subscriber: Subscriber, event: unknown): Promise<ExecutionResult> {
    if (typeof event !== "object" || event === null) return executeFor(subscriber, event);
    let perOperation = executions.get(event);
    if (!perOperation) {
      perOperation = new Map();
      executions.set(event, perOperation);
    }
    const shared = perOperation.get(subscriber.operationKey);
    if (!shared) {
      const first = executeObserved(subscriber, event);
      perOperation.set(subscriber.operationKey, { first, firstViewer: subscriber.viewerKey, byViewer: new Map() });
      return first.then((outcome) => outcome.result);
    }
    return shared.first.then((outcome) => {
      if (!outcome.readViewer || shared.firstViewer === subscriber.viewerKey) return outcome.result;
      let own = shared.byViewer.get(subscriber.viewerKey);
      if (!own) {
        own = executeFor(subscriber, event);
        shared.byViewer.set(subscriber.viewerKey, own);
      }
      return own;
    });
  }

  return {
    onSubscribe: ({ subscribeFn, setSubscribeFn }) => {
      setSubscribeFn(async (args: ExecutionArgs) => {
        const source = await createSourceEventStream(args);
        // A request the engine refuses (variables, a resolver that throws): let it answer, so
        // the errors carry exactly the codes they always have.
        if (!isAsyncIterable(source)) return subscribeFn(args);
        const context = args.contextValue as Context;
        const subscriber: Subscriber = {
          args,
          operationKey: `${documentId(args.document)}\u0000${args.operationName ?? ""}\u0000${JSON.stringify(args.variableValues ?? {})}`,
          viewerKey: viewerKeyOf(context),
        };
        return new ExecutedEvents(source[Symbol.asyncIterator](), subscriber, resultFor);
      });
    },
  };
}

/** A subscriber's events, each mapped to its (possibly shared) execution result, in order. */
class ExecutedEvents implements AsyncIterableIterator<ExecutionResult> {
  constructor(
    private readonly source: AsyncIterator<unknown>,
    private readonly subscriber: Subscriber,
    private readonly resultFor: (subscriber: Subscriber, event: unknown) => Promise<ExecutionResult>,
  ) {}

  async next(): Promise<IteratorResult<ExecutionResult>> {
    // A failing event stream throws as it is: graphql-ws reports it through the server's onError,
    // which masks it like any error on HTTP.
    const item = await this.source.next();
    if (item.done) return { value: undefined, done: true };
    try {
      return { value: await this.resultFor(this.subscriber, item.value), done: false };
    } catch (error) {
      // The consumer will not ask again: stop listening for this subscriber's events.
      await this.source.return?.();
      throw error;
    }
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    await this.source.return?.();
    return { value: undefined, done: true };
  }

  async throw(error: unknown): Promise<IteratorResult<ExecutionResult>> {
    if (this.source.throw) await this.source.throw(error);
    else await this.source.return?.();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<ExecutionResult> {
    return this;
  }
}
