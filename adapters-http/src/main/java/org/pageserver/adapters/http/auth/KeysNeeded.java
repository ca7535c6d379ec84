package org.pageserver.adapters.http.auth;

import io.micronaut.context.condition.Condition;
import io.micronaut.context.condition.ConditionContext;

/** The validation keys are read when the HTTP API or the page service takes tokens (NeonJWT). */
final class KeysNeeded implements Condition {
    @Override
    public boolean matches(ConditionContext context) {
        return takesTokens(context, AuthType.HTTP_PROPERTY) || takesTokens(context, AuthType.PG_PROPERTY);
    }

    private static boolean takesTokens(ConditionContext context, String property) {
        return context.getProperty(property, String.class).map(AuthType.NeonJWT.name()::equals).orElse(false);
    }
}
