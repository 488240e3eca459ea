# host/kvm.mk - the /dev/kvm launcher, kvmrun (see README), included by the Makefile.
# Its objects are compiled by the Makefile's hosted pattern rule ($(BUILD)/host/%.o);
# the multiboot loader, the formatter it uses and the device model are the host
# builds of vmm/loader.c, lib/fmt.c and vmm/devices.c that the unit tests link.
KVM_OBJS := $(BUILD)/host/host/kvm_vm.o $(BUILD)/host/host/kvm_cpu.o $(BUILD)/host/host/kvm_io.o
KVM_SHARED_OBJS := $(BUILD)/host/vmm/loader.o $(BUILD)/host/lib/fmt.o $(BUILD)/host/vmm/devices.o

$(BUILD)/host/kvmrun: host/kvmrun.c $(KVM_OBJS) $(KVM_SHARED_OBJS)
	$(CC) $(HCFLAGS) -iquote host -o $@ $< $(KVM_OBJS) $(KVM_SHARED_OBJS)
HOST_PROGS += $(BUILD)/host/kvmrun

# Unit tests of the parts that need no /dev/kvm.
$(BUILD)/tests/unit/test_kvm_io: $(BUILD)/host/host/kvm_io.o
$(BUILD)/tests/unit/test_kvm_io: UNIT_EXTRA := $(BUILD)/host/host/kvm_io.o
$(BUILD)/tests/unit/test_kvm_cpu: $(BUILD)/host/host/kvm_cpu.o
$(BUILD)/tests/unit/test_kvm_cpu: UNIT_EXTRA := $(BUILD)/host/host/kvm_cpu.o
