package io.tenure.local.crac;

/** A context resources register with; it is a resource itself, notified by its own context. */
public abstract class Context<R extends Resource> implements Resource {
    protected Context() {
    }

    public abstract void register(R resource);
}
