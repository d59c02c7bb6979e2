package dev.berth.runtime.observe;

import dev.berth.model.ChatResponse;

/** One model call under way; exactly one of {@link #succeeded} and {@link #failed} is called. */
public interface ModelCallObservation {
    ModelCallObservation NONE = new ModelCallObservation() {
        @Override
        public void succeeded(ChatResponse response) {
        }

        @Override
        public void failed(Throwable failure) {
        }
    };

    /** The model answered; the response tells the deployment that served it and the token usage. */
    void succeeded(ChatResponse response);

    /** The call failed after the model client's own retries and failovers, or was cut short. */
    void failed(Throwable failure);
}
