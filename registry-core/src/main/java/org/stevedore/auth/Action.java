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

    /** The action named {@code name} in a scope string, if there is one. */
    public static java.util.Optional<Action> fromScopeName(String name) {
        for (Action action : values()) {
            if (action.scopeName.equals(name)) return java.util.Optional.of(action);
        }
        return java.util.Optional.empty();
    }
}
