package io.kafkaconcierge.api.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkaconcierge.api.rest.dto.InstanceRequest.SecurityRequest;
import io.kafkaconcierge.contracts.InstanceSpec.Security;
import io.kafkaconcierge.problem.Problem.FieldError;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstanceSecurityValidationTest {

    private final List<FieldError> errors = new ArrayList<>();

    @Test
    void shouldKeepTodaysPlaintextInstanceWhenSecurityIsAbsent() {
        assertThat(InstanceValidator.security(null, "local", errors)).isNull();
        assertThat(errors).isEmpty();
    }

    @Test
    void shouldTurnAuthorizationOnUnlessItIsTurnedOff() {
        assertThat(InstanceValidator.security(new SecurityRequest("scram-sha-512", null), "local", errors))
                .isEqualTo(new Security("scram-sha-512", true));
        assertThat(InstanceValidator.security(new SecurityRequest("scram-sha-512", false), "local", errors))
                .isEqualTo(new Security("scram-sha-512", false));
        assertThat(errors).isEmpty();
    }

    @Test
    void shouldNameTheFieldOfAnAuthenticationThereIsNot() {
        assertThat(InstanceValidator.security(new SecurityRequest("kerberos", true), "local", errors))
                .isNull();
        assertThat(InstanceValidator.security(new SecurityRequest(null, true), "local", errors))
                .isNull();
        assertThat(errors)
                .extracting(FieldError::field)
                .containsExactly("security.authentication", "security.authentication");
        assertThat(errors.get(0).message()).contains("kerberos", "scram-sha-512");
    }

    @Test
    void shouldRefuseSecurityOnABackendThatCannotRunIt() {
        assertThat(InstanceValidator.security(new SecurityRequest("scram-sha-512", true), "strimzi", errors))
                .isNull();
        assertThat(errors).extracting(FieldError::field).containsExactly("security");
    }
}
