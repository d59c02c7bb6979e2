package dev.berth.deploy.tools;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Set;

/** A Berth with plugin jars, MCP servers and the misbehaving in-process {@link FlakyTools}. */
public class ToolsProfile implements QuarkusTestProfile {

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(FlakyTools.class);
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ToolsTestResource.class));
    }
}
