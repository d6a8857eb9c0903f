package org.stevedore.auth;

/** What a request does to a resource, in the words of distribution's token scopes. */
public enum Action {
    PULL("pull"),
    PUSH("push"),
    DELETE("delete"),
    /** Every action; distribution's {@code *}, used for {@code registry:catalog:*}. */
    ALL("*");

    private final String scopeName;

    Action(String scopeName) {
        this.scopeName = scopeName;
    }

    /** The name in a scope string: {@code pull}, {@code push}, {@code delete}, {@code *}. */
    public String scopeName() {
        return scopeName;
    }
}
