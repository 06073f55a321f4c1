package io.nauta.controllers.app;

import io.nauta.core.controller.Controller;

/**
 * A controller the manager runs while it leads. Implementations are Spring components that build
 * their {@link Controller} from the shared informers (never starting them: the manager does).
 */
public interface ManagedController {

  Controller controller();
}
