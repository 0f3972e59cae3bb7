package io.tenure.invitation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The domain an invited address probably meant (issue 15), with the examples. */
class DomainTyposTest {
    @Test
    void aLetterMissingFromADomainTheOrgKnowsIsSuggested() {
        assertThat(DomainTypos.suggest("partnr.example", List.of("partner.example", "acme.example"))).contains("partner.example");
        assertThat(DomainTypos.suggest("PARTNR.example ", List.of("partner.example"))).as("as typed").contains("partner.example");
    }

    @Test
    void commonProvidersAreKnownWithoutTheOrgKnowingThem() {
        assertThat(DomainTypos.suggest("gmial.com", List.of())).as("two letters swapped").contains("gmail.com");
        assertThat(DomainTypos.suggest("gmai.com", List.of())).contains("gmail.com");
        assertThat(DomainTypos.suggest("hotmial.com", List.of())).contains("hotmail.com");
        assertThat(DomainTypos.suggest("outlok.com", List.of())).contains("outlook.com");
    }

    @Test
    void aSwappedTopLevelDomainIsSuggested() {
        assertThat(DomainTypos.suggest("agency.co", List.of("agency.com"))).contains("agency.com");
        assertThat(DomainTypos.suggest("agency.net", List.of("agency.com"))).contains("agency.com");
    }

    @Test
    void aKnownDomainOrOneFarFromEveryKnownOneIsNoTypo() {
        assertThat(DomainTypos.suggest("partner.example", List.of("partner.example"))).isEmpty();
        assertThat(DomainTypos.suggest("gmail.com", List.of("partner.example"))).isEmpty();
        assertThat(DomainTypos.suggest("gmx.de", List.of())).as("a provider itself, though close to gmx.com").isEmpty();
        assertThat(DomainTypos.suggest("northwind.example", List.of("partner.example"))).isEmpty();
        assertThat(DomainTypos.suggest("ab.io", List.of("cd.io"))).as("two edits of a short domain is another domain").isEmpty();
        assertThat(DomainTypos.suggest("", List.of("partner.example"))).isEmpty();
    }

    @Test
    void theClosestWinsThenTheOrgsOwnThenTheFirstAlphabetically() {
        assertThat(DomainTypos.suggest("partnerr.example", List.of("partners.example", "partner.example")))
                .as("both one edit away: the first alphabetically").contains("partner.example");
        assertThat(DomainTypos.suggest("partnr.example", List.of("partnerz.example", "qartnr.example")))
                .as("one edit beats two, before the alphabet").contains("qartnr.example");
        assertThat(DomainTypos.suggest("gmial.com", List.of("gmial.co"))).as("the org's own domain wins a tie with a provider")
                .contains("gmial.co");
        assertThat(DomainTypos.suggest("gmail.co", List.of("gmail.co.uk"))).as("a swapped top-level domain, a provider").contains("gmail.com");
    }
}
